"use client";
import { useMutation, useQuery, useQueryClient } from "@tanstack/react-query";
import { useTranslations } from "next-intl";
import { useState } from "react";
import { useTRPC } from "@/components/trpc";
import { useCanWrite } from "@/components/console/use-current-role";
import { Button } from "@/components/ui/button";
import { ConfirmDialog } from "@/components/ui/confirm-dialog";
import { SelectField, TextField } from "@/components/ui/field";
import { Badge, Card, ErrorNote, SkeletonRows } from "@/components/ui/panel";
import { Table, Td } from "@/components/ui/table";
import { isNotFound, useEngineNow } from "@/components/workloads/common";
import { MetricChart } from "./metric-chart";
import { chartDefs, palette, refreshFor, type Range } from "./metrics";
import { RangePicker, TimeSeriesChart, type ChartReference } from "./time-series-chart";
import { minLiveRefresh } from "@/components/live/query-meta";

type Usage = {
  pod: string;
  containers: {
    name: string;
    requests: { cpuMillis: number; memoryBytes: number };
    limits: { cpuMillis: number | null; memoryBytes: number | null };
  }[];
}[];

/** Request and limit lines from monitoring.usage: summed over the given pods (and, when named, one container). */
export function usageReferences(
  usage: Usage | undefined,
  resource: "cpuMillis" | "memoryBytes",
  labels: { request: string; limit: string },
  container?: string,
): ChartReference[] {
  if (!usage || usage.length === 0) return [];
  const containers = usage.flatMap((p) => p.containers).filter((c) => !container || c.name === container);
  if (containers.length === 0) return [];
  const refs: ChartReference[] = [];
  const request = containers.reduce((s, c) => s + c.requests[resource], 0);
  if (request > 0) refs.push({ value: request, label: labels.request, tone: "request" });
  if (containers.every((c) => c.limits[resource] !== null)) {
    const limit = containers.reduce((s, c) => s + (c.limits[resource] ?? 0), 0);
    if (limit > 0) refs.push({ value: limit, label: labels.limit, tone: "limit" });
  }
  return refs;
}

/** The "Monitoring" section of a deployment's page: usage against requests and limits, revisions compared, alert rules. */
export function DeploymentMonitoring({ name }: { name: string }) {
  const t = useTranslations("monitoring");
  const trpc = useTRPC();
  const [range, setRange] = useState<Range>("15m");
  const refetch = refreshFor(range, true);
  const now = useEngineNow();
  const usage = useQuery(
    trpc.monitoring.usage.queryOptions({ deployment: name }, { retry: (n, e) => !isNotFound(e) && n < 2 }),
  );
  const labels = { request: t("lines.requestsTotal"), limit: t("lines.limitsTotal") };
  const target = { kind: "deployment" as const, name };
  return (
    <section aria-labelledby="deployment-monitoring" className="space-y-4">
      <div className="flex flex-wrap items-center justify-between gap-3">
        <h2 id="deployment-monitoring" className="text-lg font-semibold">
          {t("section")}
        </h2>
        <RangePicker value={range} onChange={setRange} />
      </div>
      <div className="grid gap-4 xl:grid-cols-3">
        <MetricChart
          target={target}
          chart="cpu"
          range={range}
          refresh={refetch}
          now={now}
          size="sm"
          references={usageReferences(usage.data, "cpuMillis", labels)}
        />
        <MetricChart
          target={target}
          chart="memory"
          range={range}
          refresh={refetch}
          now={now}
          size="sm"
          references={usageReferences(usage.data, "memoryBytes", labels)}
        />
        <MetricChart target={target} chart="network" range={range} refresh={refetch} now={now} size="sm" />
      </div>
      <RevisionComparison name={name} range={range} refetch={refetch} now={now} />
      <AlertRules name={name} />
    </section>
  );
}

function RevisionComparison({
  name,
  range,
  refetch,
  now,
}: {
  name: string;
  range: Range;
  refetch: number | false;
  now: number | null;
}) {
  const t = useTranslations("monitoring");
  const trpc = useTRPC();
  const [metric, setMetric] = useState<"cpu" | "memory">("cpu");
  const def = chartDefs[metric];
  const metricName = def.lines[0]!.metric;
  const compare = useQuery(
    trpc.monitoring.compareRevisions.queryOptions(
      { deployment: name, metric: metricName, range },
      { meta: minLiveRefresh(refetch), retry: (n, e) => !isNotFound(e) && n < 2 },
    ),
  );
  const revisions = compare.data ?? [];
  const series = revisions.map((r, i) => ({
    key: `rev${r.revision}`,
    label: t("compare.revision", { revision: r.revision, image: r.image }),
    points: r.points,
    color: palette[i % palette.length],
  }));
  return (
    <div className="space-y-2">
      <div className="flex flex-wrap items-end gap-3">
        <div className="w-44">
          <SelectField
            label={t("compare.metric")}
            value={metric}
            onChange={(e) => setMetric(e.target.value as "cpu" | "memory")}
          >
            <option value="cpu">{t("charts.cpu")}</option>
            <option value="memory">{t("charts.memory")}</option>
          </SelectField>
        </div>
      </div>
      <TimeSeriesChart
        testId="revisions"
        title={t("compare.title", { metric: t(`charts.${metric}`) })}
        unit={def.unit}
        series={series}
        stepMs={revisions[0]?.stepMs}
        range={range}
        now={now}
        isPending={compare.isPending}
        error={compare.error?.message ?? null}
        empty={revisions.length <= 1 ? t("compare.oneRevision") : t("empty.noSamples")}
        headerExtra={revisions.length > 0 ? <Badge>{t("compare.kept", { count: revisions.length })}</Badge> : null}
      />
    </div>
  );
}

function AlertRules({ name }: { name: string }) {
  const t = useTranslations("monitoring.alerts");
  const trpc = useTRPC();
  const queryClient = useQueryClient();
  const canWrite = useCanWrite();
  // Alert states move as rollups land (metrics notes); rules themselves change by this page's own mutations.
  const rules = useQuery(trpc.alerts.list.queryOptions(undefined, { meta: minLiveRefresh(15_000) }));
  const refresh = () => queryClient.invalidateQueries({ queryKey: trpc.alerts.list.queryKey() });
  const remove = useMutation(trpc.alerts.delete.mutationOptions({ onSettled: refresh }));
  const [deleting, setDeleting] = useState<string | null>(null);
  const mine = (rules.data ?? []).filter((r) => r.deploymentName === name);
  const describeRule = (r: { kind: string; threshold: number; forSeconds: number }) =>
    r.kind === "restarts"
      ? t("ruleRestarts", { threshold: r.threshold })
      : t("ruleCpu", { threshold: r.threshold, minutes: Math.round(r.forSeconds / 60) });
  return (
    <Card title={t("title")}>
      <div className="space-y-4">
        {rules.isPending ? (
          <SkeletonRows rows={2} />
        ) : rules.error ? (
          <ErrorNote message={rules.error.message} />
        ) : mine.length === 0 ? (
          <p className="text-sm text-zinc-600 dark:text-zinc-400">{canWrite ? t("emptyWriter") : t("empty")}</p>
        ) : (
          <Table caption={t("title")} head={[t("rule"), t("state"), canWrite ? t("actions") : ""]}>
            {mine.map((r) => (
              <tr key={r.id}>
                <Td>{describeRule(r)}</Td>
                <Td>
                  {r.firing ? (
                    <Badge tone="bad">{t("firing")}</Badge>
                  ) : r.pendingSince ? (
                    <Badge tone="warn">{t("pending")}</Badge>
                  ) : (
                    <Badge tone="good">{t("ok")}</Badge>
                  )}
                </Td>
                <Td>
                  {canWrite ? (
                    <Button
                      variant="ghost"
                      onClick={() => setDeleting(r.id)}
                      aria-label={t("deleteRule", { rule: describeRule(r) })}
                    >
                      {t("delete")}
                    </Button>
                  ) : null}
                </Td>
              </tr>
            ))}
          </Table>
        )}
        <ErrorNote message={remove.error?.message} />
        {canWrite ? <NewAlertRule name={name} onDone={refresh} /> : null}
      </div>
      <ConfirmDialog
        open={deleting !== null}
        title={t("deleteTitle")}
        body={t("deleteBody")}
        actionLabel={t("delete")}
        busy={remove.isPending}
        onCancel={() => setDeleting(null)}
        onConfirm={() => {
          if (deleting) remove.mutate({ id: deleting });
          setDeleting(null);
        }}
      />
    </Card>
  );
}

function NewAlertRule({ name, onDone }: { name: string; onDone: () => void }) {
  const t = useTranslations("monitoring.alerts");
  const trpc = useTRPC();
  const [kind, setKind] = useState<"cpu_over_request" | "restarts">("cpu_over_request");
  const [threshold, setThreshold] = useState("80");
  const [minutes, setMinutes] = useState("5");
  const create = useMutation(trpc.alerts.create.mutationOptions({ onSuccess: onDone }));
  const n = Number(threshold);
  const m = Number(minutes);
  const thresholdError = threshold === "" || !Number.isFinite(n) || n < 0 || n > 100_000 ? t("thresholdInvalid") : null;
  const minutesError =
    kind === "cpu_over_request" && (minutes === "" || !Number.isInteger(m) || m < 0 || m > 1440)
      ? t("minutesInvalid")
      : null;
  return (
    <form
      className="grid gap-3 sm:grid-cols-[14rem_10rem_10rem_auto] sm:items-start"
      aria-label={t("create")}
      onSubmit={(e) => {
        e.preventDefault();
        if (thresholdError || minutesError) return;
        create.mutate({ deployment: name, kind, threshold: n, forSeconds: kind === "restarts" ? 0 : m * 60 });
      }}
    >
      <SelectField
        label={t("kind")}
        value={kind}
        onChange={(e) => {
          const k = e.target.value as typeof kind;
          setKind(k);
          setThreshold(k === "restarts" ? "3" : "80");
        }}
      >
        <option value="cpu_over_request">{t("kindCpu")}</option>
        <option value="restarts">{t("kindRestarts")}</option>
      </SelectField>
      <TextField
        label={kind === "restarts" ? t("thresholdRestarts") : t("thresholdPercent")}
        inputMode="decimal"
        value={threshold}
        onChange={(e) => setThreshold(e.target.value.trim())}
        error={thresholdError}
      />
      {kind === "cpu_over_request" ? (
        <TextField
          label={t("forMinutes")}
          inputMode="numeric"
          value={minutes}
          onChange={(e) => setMinutes(e.target.value.trim())}
          error={minutesError}
        />
      ) : (
        <p className="text-xs text-zinc-600 sm:mt-7 dark:text-zinc-400">{t("windowHint")}</p>
      )}
      <Button type="submit" className="sm:mt-6" disabled={create.isPending || !!thresholdError || !!minutesError}>
        {t("add")}
      </Button>
      <div className="sm:col-span-4">
        <ErrorNote message={create.error?.message} />
      </div>
    </form>
  );
}
