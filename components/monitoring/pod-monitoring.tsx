"use client";
import { useQuery } from "@tanstack/react-query";
import { useTranslations } from "next-intl";
import { useState } from "react";
import { useTRPC } from "@/components/trpc";
import { SelectField } from "@/components/ui/field";
import { isNotFound, useEngineNow } from "@/components/workloads/common";
import type { ContainerStatus } from "@/server/engine/kinds/types";
import { usageReferences } from "./deployment-monitoring";
import { MetricChart, type Target } from "./metric-chart";
import { refreshFor, type Range } from "./metrics";
import { RangePicker, type ChartMarker } from "./time-series-chart";

/**
 * The "Monitoring" section of a pod's page: cpu and memory of the pod or one container, with
 * request and limit lines, the restart count in plain sight and restarts marked on the plot
 * (samples exist only while a container runs, so a crash loop shows as gaps).
 */
export function PodMonitoring({
  name,
  containers,
  statuses,
}: {
  name: string;
  containers: string[];
  statuses: ContainerStatus[];
}) {
  const t = useTranslations("monitoring");
  const trpc = useTRPC();
  const [range, setRange] = useState<Range>("15m");
  const [container, setContainer] = useState("");
  const refetch = refreshFor(range, true);
  const now = useEngineNow();
  const usage = useQuery(
    trpc.monitoring.usage.queryOptions({ pods: [name] }, { retry: (n, e) => !isNotFound(e) && n < 2 }),
  );
  const events = useQuery(trpc.events.list.queryOptions({ objectKind: "Pod", objectName: name, limit: 100 }));
  const selected = containers.includes(container) ? container : "";
  const target: Target = selected ? { kind: "container", pod: name, container: selected } : { kind: "pod", name };
  const shown = statuses.filter((s) => !selected || s.name === selected);
  const restarts = shown.reduce((sum, s) => sum + s.restartCount, 0);
  const lastReason = shown.find((s) => s.lastTerminationReason)?.lastTerminationReason;
  const markers: ChartMarker[] = (events.data?.items ?? [])
    .filter(
      (e) =>
        (e.reason === "OOMKilled" || (e.reason === "BackOff" && e.type === "Warning")) &&
        (!selected || e.message.includes(selected)),
    )
    .flatMap((e) => {
      const label = e.reason === "OOMKilled" ? t("marks.oomKilled") : t("marks.restart");
      return e.firstTime !== e.lastTime
        ? [
            { t: e.firstTime, label },
            { t: e.lastTime, label },
          ]
        : [{ t: e.lastTime, label }];
    });
  const labels = selected
    ? { request: t("lines.request"), limit: t("lines.limit") }
    : { request: t("lines.requestsTotal"), limit: t("lines.limitsTotal") };
  const restartBadge = (
    <div
      data-testid="restart-count"
      data-count={restarts}
      className={`rounded-md px-2 py-1 text-right text-sm font-semibold tabular-nums ${
        restarts > 0
          ? "bg-red-100 text-red-800 dark:bg-red-950 dark:text-red-300"
          : "bg-zinc-100 text-zinc-700 dark:bg-zinc-800 dark:text-zinc-300"
      }`}
    >
      {t("restarts", { count: restarts })}
      {restarts > 0 && lastReason ? (
        <span className="block text-xs font-normal">{t("lastReason", { reason: lastReason })}</span>
      ) : null}
    </div>
  );
  const empty = restarts > 0 ? t("empty.crashLoop") : t("empty.noSamples");
  return (
    <section aria-labelledby="pod-monitoring" className="space-y-4">
      <div className="flex flex-wrap items-end justify-between gap-3">
        <h2 id="pod-monitoring" className="text-lg font-semibold">
          {t("section")}
        </h2>
        <div className="flex flex-wrap items-end gap-3">
          {containers.length > 1 ? (
            <div className="w-56">
              <SelectField
                label={t("controls.container")}
                value={selected}
                onChange={(e) => setContainer(e.target.value)}
              >
                <option value="">{t("controls.allContainers")}</option>
                {containers.map((c) => (
                  <option key={c} value={c}>
                    {c}
                  </option>
                ))}
              </SelectField>
            </div>
          ) : null}
          <RangePicker value={range} onChange={setRange} />
        </div>
      </div>
      <div className="grid gap-4 xl:grid-cols-2">
        <MetricChart
          key={`cpu-${selected}`}
          target={target}
          chart="cpu"
          range={range}
          refresh={refetch}
          now={now}
          size="sm"
          references={usageReferences(usage.data, "cpuMillis", labels, selected || undefined)}
          markers={markers}
          headerExtra={restartBadge}
          empty={empty}
        />
        <MetricChart
          key={`memory-${selected}`}
          target={target}
          chart="memory"
          range={range}
          refresh={refetch}
          now={now}
          size="sm"
          references={usageReferences(usage.data, "memoryBytes", labels, selected || undefined)}
          markers={markers}
          empty={empty}
        />
      </div>
    </section>
  );
}
