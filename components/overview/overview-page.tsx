"use client";
import { useQuery } from "@tanstack/react-query";
import Link from "next/link";
import { useTranslations } from "next-intl";
import type { ReactNode } from "react";
import { formatCores } from "@/components/format";
import { useFormatAge } from "@/components/use-format-age";
import { formatGiB, UsageBar } from "@/components/nodes/usage-bar";
import { EngineClock } from "@/components/nodes/engine-clock";
import { useEngineNow } from "@/components/nodes/use-engine-now";
import { Badge, Card, EmptyState, ErrorNote, PageHeader, SkeletonRows } from "@/components/ui/panel";
import { Table, Td } from "@/components/ui/table";
import { useTRPC } from "@/components/trpc";
import { EngineMessage } from "@/components/events/event-message";
import { attentionItems } from "@/server/workloads/attention";
import type { HealthState } from "@/server/workloads/health";
import { AttentionList } from "./attention-list";

const listLimit = 500;
const link = "text-sky-700 underline hover:text-sky-900 dark:text-sky-300 dark:hover:text-sky-100";

/** The tenant at a glance: counts, quota use, what needs attention and the latest events, kept fresh by live notes. */
export function OverviewPage({ tenantName }: { tenantName: string }) {
  const t = useTranslations("overviewPage");
  const tc = useTranslations("cluster");
  const th = useTranslations("health");
  const trpc = useTRPC();
  const deployments = useQuery(trpc.deployments.list.queryOptions({ limit: listLimit }));
  const pods = useQuery(trpc.pods.list.queryOptions({ limit: listLimit }));
  const nodes = useQuery(trpc.nodes.list.queryOptions({ limit: listLimit }));
  const events = useQuery(trpc.events.list.queryOptions({ limit: 10 }));
  const quota = useQuery(trpc.quota.get.queryOptions());
  const now = useEngineNow();
  const formatAge = useFormatAge();

  const podItems = pods.data?.items ?? [];
  const nodeItems = nodes.data?.items ?? [];
  // By health, not phase: a crash-looping pod is in phase Running but is not running.
  const healthCounts: Partial<Record<HealthState, number>> = {};
  for (const p of podItems) healthCounts[p.health.state] = (healthCounts[p.health.state] ?? 0) + 1;
  const nodeCounts = { Ready: 0, NotReady: 0, Provisioning: 0, warm: 0 };
  for (const n of nodeItems) {
    if (n.warm) nodeCounts.warm++;
    else nodeCounts[n.phase]++;
  }

  const attention =
    deployments.data && pods.data && nodes.data && now != null
      ? attentionItems({
          now,
          deployments: deployments.data.items,
          pods: podItems,
          nodes: nodeItems,
          ...(quota.data ? { quota: quota.data } : {}),
        })
      : undefined;

  const firstError = deployments.error ?? pods.error ?? nodes.error ?? quota.error;
  const noDeployments = deployments.data !== undefined && deployments.data.items.length === 0;
  const q = quota.data;
  const more = (page: { nextCursor?: string } | undefined) => (page?.nextCursor ? "+" : "");

  return (
    <div className="space-y-6">
      <PageHeader title={tenantName} description={t("description")} actions={<EngineClock />} />
      <ErrorNote message={firstError?.message} />
      {noDeployments ? (
        <EmptyState title={t("emptyTitle")}>
          <p>{t("emptyBody")}</p>
          <Link
            href="/workloads/new"
            className="mt-3 inline-flex h-9 items-center rounded-md bg-sky-600 px-3 text-sm font-medium text-white hover:bg-sky-700"
          >
            {t("createDeployment")}
          </Link>
        </EmptyState>
      ) : null}

      <dl className="grid gap-4 sm:grid-cols-3">
        <Stat
          label={t("deployments")}
          value={deployments.data ? `${deployments.data.items.length}${more(deployments.data)}` : undefined}
          href="/workloads"
        >
          {t("deploymentsNote")}
        </Stat>
        <Stat label={t("pods")} value={pods.data ? `${podItems.length}${more(pods.data)}` : undefined} href="/pods">
          {(["Available", "Progressing", "Degraded", "Failed", "Terminating", "Succeeded"] as const)
            .filter((s) => s === "Available" || s === "Degraded" || healthCounts[s])
            .map((s) => `${s === "Available" ? th("pod.Running") : th(`state.${s}`)} ${healthCounts[s] ?? 0}`)
            .join(" · ")}
        </Stat>
        <Stat label={t("nodes")} value={nodes.data ? `${nodeItems.length - nodeCounts.warm}` : undefined} href="/nodes">
          {(["Ready", "NotReady", "Provisioning"] as const)
            .map((ph) => `${tc(`nodePhase.${ph}`)} ${nodeCounts[ph]}`)
            .join(" · ")}
          {nodeCounts.warm ? ` · ${t("warmCount", { count: nodeCounts.warm })}` : ""}
        </Stat>
      </dl>

      <div className="grid gap-4 lg:grid-cols-2">
        <Card title={t("quotaTitle")}>
          {q ? (
            <div className="space-y-4">
              <UsageBar
                label={t("cpu")}
                used={q.used.cpuMillis}
                total={q.limits.cpuMillis}
                text={
                  q.limits.cpuMillis !== undefined
                    ? tc("ofCores", { used: formatCores(q.used.cpuMillis), total: formatCores(q.limits.cpuMillis) })
                    : tc("usedCoresNoLimit", { used: formatCores(q.used.cpuMillis) })
                }
              />
              <UsageBar
                label={t("memory")}
                used={q.used.memoryBytes}
                total={q.limits.memoryBytes}
                text={
                  q.limits.memoryBytes !== undefined
                    ? tc("ofGib", { used: formatGiB(q.used.memoryBytes), total: formatGiB(q.limits.memoryBytes) })
                    : tc("usedGibNoLimit", { used: formatGiB(q.used.memoryBytes) })
                }
              />
              <UsageBar
                label={t("podsQuota")}
                used={q.used.pods}
                total={q.limits.pods}
                text={
                  q.limits.pods !== undefined
                    ? tc("ofCount", { used: q.used.pods, total: q.limits.pods })
                    : tc("usedNoLimit", { used: q.used.pods })
                }
              />
              <UsageBar
                label={t("nodesQuota")}
                used={q.used.nodes}
                total={q.limits.nodes}
                text={
                  q.limits.nodes !== undefined
                    ? tc("ofCount", { used: q.used.nodes, total: q.limits.nodes })
                    : tc("usedNoLimit", { used: q.used.nodes })
                }
              />
              <UsageBar
                label={t("publicIpsQuota")}
                used={q.used.publicIps}
                total={q.limits.publicIps}
                text={
                  q.limits.publicIps !== undefined
                    ? tc("ofCount", { used: q.used.publicIps, total: q.limits.publicIps })
                    : tc("usedNoLimit", { used: q.used.publicIps })
                }
              />
              <p className="text-xs text-zinc-500 dark:text-zinc-400">
                {t("claimed", {
                  cpu: formatCores(q.claimed.cpuMillis),
                  memory: formatGiB(q.claimed.memoryBytes),
                  pods: q.claimed.pods,
                })}
              </p>
            </div>
          ) : (
            <div aria-hidden className="h-[15.5rem] animate-pulse rounded bg-zinc-100 dark:bg-zinc-800" />
          )}
        </Card>

        <Card title={t("attentionTitle")}>
          <section aria-label={t("attentionTitle")} className="min-h-[15.5rem]">
            {attention === undefined || now == null ? (
              <SkeletonRows rows={4} />
            ) : (
              <AttentionList items={attention} now={now} />
            )}
          </section>
        </Card>
      </div>

      <section aria-labelledby="latest-events" className="space-y-3">
        <h2 id="latest-events" className="text-sm font-semibold text-zinc-700 dark:text-zinc-300">
          {t("eventsTitle")}
        </h2>
        {events.isPending ? (
          <SkeletonRows rows={5} />
        ) : events.error ? (
          <ErrorNote message={events.error.message} />
        ) : events.data.items.length === 0 ? (
          <EmptyState title={t("eventsEmpty")}>{t("eventsEmptyBody")}</EmptyState>
        ) : (
          <Table
            caption={t("eventsTitle")}
            head={[t("eventType"), t("eventReason"), t("eventObject"), t("eventMessage"), t("eventAge")]}
          >
            {events.data.items.map((e) => (
              <tr key={e.id}>
                <Td>
                  <Badge tone={e.type === "Warning" ? "warn" : "neutral"}>{tc(`eventType.${e.type}`)}</Badge>
                </Td>
                <Td className="whitespace-nowrap font-medium">{e.reason}</Td>
                <Td className="whitespace-nowrap">
                  <ObjectLink kind={e.objectKind} name={e.objectName} />
                </Td>
                <Td>
                  <EngineMessage text={e.message} />
                  {e.count > 1 ? (
                    <span className="ml-1 text-xs text-zinc-500">{t("eventCount", { count: e.count })}</span>
                  ) : null}
                </Td>
                <Td className="whitespace-nowrap tabular-nums">{now ? formatAge(e.lastTime, now) : "—"}</Td>
              </tr>
            ))}
          </Table>
        )}
      </section>

      <Card title={t("modelledTitle")}>
        <p className="text-sm text-zinc-600 dark:text-zinc-400">{t("modelledBody")}</p>
      </Card>
    </div>
  );
}

function ObjectLink({ kind, name }: { kind: string; name: string }) {
  const href =
    kind === "Deployment"
      ? `/workloads/${encodeURIComponent(name)}`
      : kind === "Pod"
        ? `/pods/${encodeURIComponent(name)}`
        : kind === "Node" || kind === "NodePool"
          ? "/nodes"
          : null;
  const text = `${kind}/${name}`;
  return href ? (
    <Link href={href} className={`font-mono text-xs ${link}`}>
      {text}
    </Link>
  ) : (
    <span className="font-mono text-xs">{text}</span>
  );
}

function Stat({
  label,
  value,
  href,
  children,
}: {
  label: string;
  value: string | undefined;
  href: string;
  children?: ReactNode;
}) {
  return (
    <div className="rounded-lg border border-zinc-200 bg-white p-4 shadow-sm dark:border-zinc-800 dark:bg-zinc-900">
      <dt className="text-sm text-zinc-600 dark:text-zinc-400">
        <Link href={href} className="hover:underline">
          {label}
        </Link>
      </dt>
      <dd className="mt-1 h-8 text-2xl font-semibold tabular-nums">
        {value ?? <span aria-hidden className="block h-8 w-16 animate-pulse rounded bg-zinc-100 dark:bg-zinc-800" />}
      </dd>
      <dd className="mt-1 min-h-[2.5rem] text-xs text-zinc-600 dark:text-zinc-400">
        {value === undefined ? null : children}
      </dd>
    </div>
  );
}
