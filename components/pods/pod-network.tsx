"use client";
import { useQuery } from "@tanstack/react-query";
import { useFormatter, useTranslations } from "next-intl";
import Link from "next/link";
import { useId, useState } from "react";
import { Bar, BarChart, CartesianGrid, ResponsiveContainer, Tooltip, XAxis, YAxis } from "recharts";
import { useTRPC } from "@/components/trpc";
import { minLiveRefresh } from "@/components/live/query-meta";
import { MetricChart } from "@/components/monitoring/metric-chart";
import { palette, refreshFor, type Range } from "@/components/monitoring/metrics";
import { RangePicker, type ChartReference } from "@/components/monitoring/time-series-chart";
import { Card, ErrorNote } from "@/components/ui/panel";
import { Table, Td } from "@/components/ui/table";
import { isNotFound, useEngineNow } from "@/components/workloads/common";
import type { PodNetworkView } from "@/server/monitoring/pod-network";
import { RuleHitsTable } from "./pod-network-rule-hits";

type Direction = "ingress" | "egress";
type Drop = PodNetworkView["drops"][number];

const axis = { fill: "currentColor", fontSize: 11 };
const tooltipStyle = {
  backgroundColor: "rgb(24 24 27 / 0.92)",
  border: "none",
  borderRadius: 6,
  color: "#fafafa",
  fontSize: 12,
};
/** Reasons the console names; anything else (a newer engine's) is shown by its code. */
const KNOWN_REASONS = new Set([
  "spoofed-source-mac",
  "spoofed-source-ip",
  "no-route",
  "port-blocked",
  "egress-denied",
  "ingress-denied",
  "network-policy",
  "blackholed",
  "pps-cap",
  "rate-limit",
  "congestion",
  "host-pps",
]);

/**
 * The "Network" section of a pod's page: its addresses, its QoS as the annotations set it, the
 * modelled traffic against guarantee and maximum over time, drops by reason and what each security
 * group rule admitted (the data plane is modelled: the control plane's tables decide every flow).
 */
export function PodNetwork({ name, namespace }: { name: string; namespace: string }) {
  const t = useTranslations("monitoring.network");
  const tm = useTranslations("monitoring");
  const format = useFormatter();
  const trpc = useTRPC();
  const now = useEngineNow();
  const [range, setRange] = useState<Range>("15m");
  const refresh = refreshFor(range, true);
  const network = useQuery(
    trpc.monitoring.podNetwork.queryOptions(
      { name, namespace },
      { meta: minLiveRefresh(refresh), retry: (n, e) => !isNotFound(e) && n < 2 },
    ),
  );
  const publicIp = useQuery(trpc.publicIps.ofPod.queryOptions({ namespace, pod: name }));
  const groups = useQuery(trpc.security.ofPod.queryOptions({ namespace, pod: name }));
  const n = network.data;
  const mbps = (bits: number) =>
    tm("units.mbps", { value: format.number(bits / 1e6, { maximumFractionDigits: bits < 1e7 ? 2 : 0 }) });
  const pps = (value: number) => tm("units.pps", { value: format.number(value, { maximumFractionDigits: 0 }) });
  const directionLabel = (d: Direction) => t(`direction.${d}`);

  // Chart values of the network chart are bytes per second.
  const references: ChartReference[] = [];
  for (const d of ["ingress", "egress"] as const) {
    const q = n?.qos[d];
    if (q && q.guaranteeBitsPerSecond > 0)
      references.push({
        value: q.guaranteeBitsPerSecond / 8,
        label: t("lines.guarantee", { direction: directionLabel(d) }),
        tone: "request",
      });
    if (q?.maxBitsPerSecond != null)
      references.push({
        value: q.maxBitsPerSecond / 8,
        label: t("lines.maximum", { direction: directionLabel(d) }),
        tone: "limit",
      });
  }

  return (
    <section aria-labelledby="pod-network" className="space-y-4">
      <div className="flex flex-wrap items-end justify-between gap-3">
        <h2 id="pod-network" className="text-lg font-semibold">
          {t("section")}
        </h2>
        <RangePicker value={range} onChange={setRange} />
      </div>
      <p className="text-sm text-zinc-600 dark:text-zinc-400">{t("modelled")}</p>
      <ErrorNote message={network.error && !isNotFound(network.error) ? network.error.message : null} />
      <div className="grid gap-4 2xl:grid-cols-2">
        <Card title={t("addresses")}>
          <dl className="grid grid-cols-[max-content_1fr] gap-x-4 gap-y-1 text-sm">
            <dt className="text-zinc-500">{t("ip")}</dt>
            <dd className="font-mono" data-testid="pod-ip">
              {n?.podIP ?? t("none")}
            </dd>
            <dt className="text-zinc-500">{t("mac")}</dt>
            <dd className="font-mono" data-testid="pod-mac">
              {n?.macAddress ?? t("none")}
            </dd>
            <dt className="text-zinc-500">{t("publicIp")}</dt>
            <dd data-testid="pod-public-ip">
              {publicIp.data ? (
                <>
                  <Link href="/public-ips" className="font-mono text-sky-700 hover:underline dark:text-sky-400">
                    {publicIp.data.address}
                  </Link>
                  {publicIp.data.ddos.blackholedUntil !== undefined && (
                    <span className="ml-2 text-red-700 dark:text-red-400">
                      {t("publicIpBlackholed", {
                        until: format.dateTime(new Date(publicIp.data.ddos.blackholedUntil), {
                          timeStyle: "short",
                          dateStyle: "short",
                        }),
                      })}
                    </span>
                  )}
                </>
              ) : (
                t("none")
              )}
            </dd>
            <dt className="text-zinc-500">{t("securityGroups")}</dt>
            <dd data-testid="pod-security-groups">
              {groups.data && groups.data.groups.length > 0 ? (
                <span className="flex flex-wrap gap-x-3">
                  {groups.data.groups.map((g) => (
                    <Link
                      key={g}
                      href={`/security-groups/${encodeURIComponent(g)}`}
                      className="font-mono text-sky-700 hover:underline dark:text-sky-400"
                    >
                      {g}
                    </Link>
                  ))}
                </span>
              ) : (
                t("noGroups")
              )}
              {groups.data?.refusal && <p className="text-red-700 dark:text-red-400">{groups.data.refusal}</p>}
            </dd>
          </dl>
          <div className="mt-4">
            <Table
              caption={t("qos")}
              head={[t("col.direction"), t("col.guarantee"), t("col.maximum"), t("col.packetRate"), t("col.achieved")]}
            >
              {(["ingress", "egress"] as const).map((d) => {
                const q = n?.qos[d];
                const rates = d === "ingress" ? n?.traffic?.rx : n?.traffic?.tx;
                return (
                  <tr key={d}>
                    <Td>{directionLabel(d)}</Td>
                    <Td className="tabular-nums">
                      {q && q.guaranteeBitsPerSecond > 0 ? mbps(q.guaranteeBitsPerSecond) : t("none")}
                    </Td>
                    <Td className="tabular-nums">
                      {q?.maxBitsPerSecond != null ? mbps(q.maxBitsPerSecond) : t("nic")}
                    </Td>
                    <Td className="tabular-nums">{q?.packetRateCap != null ? pps(q.packetRateCap) : t("none")}</Td>
                    <Td className="tabular-nums">
                      <span data-testid={`achieved-${d}`}>
                        {rates ? `${mbps(rates.bitsPerSecond)} · ${pps(rates.packetsPerSecond)}` : t("notModelled")}
                      </span>
                    </Td>
                  </tr>
                );
              })}
            </Table>
          </div>
          {n && n.qosProblems.length > 0 ? (
            <ul className="mt-3 space-y-1 text-sm text-amber-800 dark:text-amber-300">
              {n.qosProblems.map((p) => (
                <li key={p.field}>
                  <span className="font-mono">{p.field}</span>: {p.message}
                </li>
              ))}
            </ul>
          ) : null}
        </Card>
        <MetricChart
          target={{ kind: "pod", name }}
          chart="network"
          title={t("chartTitle")}
          range={range}
          refresh={refresh}
          now={now}
          size="sm"
          references={references}
        />
      </div>
      <div className="grid gap-4 2xl:grid-cols-2">
        <DropsChart drops={n?.drops ?? []} directionLabel={directionLabel} />
        <RuleHitsTable hits={n?.ruleHits ?? []} directionLabel={directionLabel} />
      </div>
    </section>
  );
}

function DropsChart({ drops, directionLabel }: { drops: Drop[]; directionLabel: (d: Direction) => string }) {
  const t = useTranslations("monitoring.network");
  const format = useFormatter();
  const titleId = useId();
  const label = (d: Drop) => {
    const reason = KNOWN_REASONS.has(d.reason) ? t(`reasons.${d.reason}`) : d.reason;
    const where = d.group !== null ? t("rule", { group: d.group, rule: (d.rule ?? 0) + 1 }) : reason;
    return `${directionLabel(d.direction)}: ${where}`;
  };
  const data = [...drops]
    .sort((a, b) => b.packets - a.packets)
    .map((d) => ({ label: label(d), packets: Math.round(d.packets), now: d.packetsPerSecond }));
  return (
    <figure
      aria-labelledby={titleId}
      className="rounded-lg border border-zinc-200 bg-white p-4 shadow-sm dark:border-zinc-800 dark:bg-zinc-900"
    >
      <figcaption id={titleId} className="mb-2 text-sm font-semibold text-zinc-700 dark:text-zinc-300">
        {t("dropsTitle")}
      </figcaption>
      {data.length === 0 ? (
        <p className="text-sm text-zinc-600 dark:text-zinc-400" data-testid="no-drops">
          {t("noDrops")}
        </p>
      ) : (
        <>
          <div className="text-zinc-600 dark:text-zinc-400" style={{ height: 48 + data.length * 32 }}>
            <ResponsiveContainer width="100%" height="100%">
              <BarChart data={data} layout="vertical" margin={{ top: 4, right: 16, bottom: 4, left: 8 }}>
                <CartesianGrid strokeDasharray="3 3" stroke="currentColor" strokeOpacity={0.15} />
                <XAxis
                  type="number"
                  tick={axis}
                  stroke="currentColor"
                  tickFormatter={(v) => format.number(Number(v))}
                />
                <YAxis type="category" dataKey="label" tick={axis} stroke="currentColor" width={220} />
                <Tooltip
                  contentStyle={tooltipStyle}
                  formatter={(v) => [t("packets", { value: format.number(Number(v)) }), t("dropsTotal")]}
                />
                <Bar dataKey="packets" fill={palette[3]} isAnimationActive={false} />
              </BarChart>
            </ResponsiveContainer>
          </div>
          <Table caption={t("dropsTitle")} head={[t("col.reason"), t("col.total"), t("col.now")]}>
            {data.map((d) => (
              <tr key={d.label}>
                <Td>{d.label}</Td>
                <Td className="tabular-nums">{format.number(d.packets)}</Td>
                <Td className="tabular-nums">
                  {t("perSecond", { value: format.number(d.now, { maximumFractionDigits: 0 }) })}
                </Td>
              </tr>
            ))}
          </Table>
        </>
      )}
    </figure>
  );
}
