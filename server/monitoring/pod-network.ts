/**
 * The pod page's network section, read from the engine's pod (addresses, QoS annotations), the
 * runtime's traffic model (rates now) and this process's drop and rule hit counters (totals
 * since it started collecting). `podNetworkView` is the wire shape the monitoring router declares.
 */
import { z } from "zod";
import type { Pod } from "../engine";
import { type DirectionQos, readPodQos } from "../engine/network/qos/qos-annotations";
import type { PodTrafficReport } from "../engine/runtime/traffic/traffic-report";
import type { DropTotal } from "./network-drop-counters";
import type { RuleHitTotal } from "./network-rule-hit-counters";

const directionQosView = z.object({
  guaranteeBitsPerSecond: z.number(),
  /** null: unset (the node's NIC). */
  maxBitsPerSecond: z.number().nullable(),
  packetRateCap: z.number().nullable(),
});
const ratesView = z.object({
  offeredBitsPerSecond: z.number(),
  bitsPerSecond: z.number(),
  packetsPerSecond: z.number(),
  droppedPacketsPerSecond: z.number(),
});
const dropView = z.object({
  direction: z.enum(["ingress", "egress"]),
  reason: z.string(),
  group: z.string().nullable(),
  rule: z.number().nullable(),
  /** Since this process started collecting. */
  packets: z.number(),
  /** Now. */
  packetsPerSecond: z.number(),
});

/** What one admitting security group rule let through for the pod, in one direction. */
const ruleHitView = z.object({
  direction: z.enum(["ingress", "egress"]),
  group: z.string(),
  /** The rule's index in the group's direction list, or "same-group" (allowSameGroupTraffic). */
  rule: z.union([z.number(), z.literal("same-group")]),
  /** Since this process started collecting. */
  packets: z.number(),
  bytes: z.number(),
  /** Now. */
  packetsPerSecond: z.number(),
  bytesPerSecond: z.number(),
});

export const podNetworkView = z.object({
  podIP: z.string().nullable(),
  macAddress: z.string().nullable(),
  qos: z.object({ ingress: directionQosView, egress: directionQosView }),
  /** Broken QoS annotations (the pod keeps the defaults for them). */
  qosProblems: z.array(z.object({ field: z.string(), message: z.string() })),
  /** null: no traffic model for the pod (not running on a live agent, or no network attached). */
  traffic: z
    .object({
      rx: ratesView,
      tx: ratesView,
      /** The shaper's effective maxima (the annotation's, or the node's NIC). */
      effectiveMaxBitsPerSecond: z.object({ ingress: z.number(), egress: z.number() }),
    })
    .nullable(),
  drops: z.array(dropView),
  ruleHits: z.array(ruleHitView),
});
export type PodNetworkView = z.infer<typeof podNetworkView>;
type DropRow = z.infer<typeof dropView>;
type RuleHitRow = z.infer<typeof ruleHitView>;

const directionView = (q: DirectionQos) => ({
  guaranteeBitsPerSecond: q.guaranteeBitsPerSecond,
  maxBitsPerSecond: q.maxBitsPerSecond ?? null,
  packetRateCap: q.packetRateCap ?? null,
});

const keyOf = (d: { direction: string; reason: string; group?: string; rule?: number }) =>
  `${d.direction}|${d.reason}|${d.group ?? ""}|${d.rule ?? ""}`;

/** Totals and current rates merged per direction, reason and rule. */
function dropRows(totals: readonly Readonly<DropTotal>[], report: PodTrafficReport | undefined): DropRow[] {
  const rows = new Map<string, DropRow>();
  const row = (d: Omit<DropTotal, "packets" | "bytes">) => {
    const key = keyOf(d);
    let r = rows.get(key);
    if (r === undefined) {
      r = {
        direction: d.direction,
        reason: d.reason,
        group: d.group ?? null,
        rule: d.rule ?? null,
        packets: 0,
        packetsPerSecond: 0,
      };
      rows.set(key, r);
    }
    return r;
  };
  for (const d of totals) row(d).packets = d.packets;
  for (const d of report?.drops ?? []) row(d).packetsPerSecond = d.packetsPerSecond;
  return [...rows.values()];
}

/** Rule hit totals and current rates merged per direction and rule. */
function ruleHitRows(totals: readonly Readonly<RuleHitTotal>[], report: PodTrafficReport | undefined): RuleHitRow[] {
  const rows = new Map<string, RuleHitRow>();
  const row = (h: Pick<RuleHitTotal, "direction" | "group" | "rule">) => {
    const key = `${h.direction}|${h.group}|${h.rule}`;
    let r = rows.get(key);
    if (r === undefined) {
      r = {
        direction: h.direction,
        group: h.group,
        rule: h.rule,
        packets: 0,
        bytes: 0,
        packetsPerSecond: 0,
        bytesPerSecond: 0,
      };
      rows.set(key, r);
    }
    return r;
  };
  for (const h of totals) Object.assign(row(h), { packets: h.packets, bytes: h.bytes });
  for (const h of report?.ruleHits ?? [])
    Object.assign(row(h), { packetsPerSecond: h.packetsPerSecond, bytesPerSecond: h.bytesPerSecond });
  return [...rows.values()];
}

export function readPodNetwork(
  pod: Pick<Pod, "podIP" | "macAddress" | "annotations">,
  report: PodTrafficReport | undefined,
  totals: readonly Readonly<DropTotal>[],
  ruleHitTotals: readonly Readonly<RuleHitTotal>[] = [],
): PodNetworkView {
  const { qos, problems } = readPodQos(pod.annotations);
  return {
    podIP: pod.podIP ?? null,
    macAddress: pod.macAddress ?? null,
    qos: { ingress: directionView(qos.ingress), egress: directionView(qos.egress) },
    qosProblems: problems.map((p) => ({ field: p.field, message: p.message })),
    traffic: report
      ? {
          rx: { ...report.rx },
          tx: { ...report.tx },
          effectiveMaxBitsPerSecond: {
            ingress: report.qos.ingress.maxBitsPerSecond,
            egress: report.qos.egress.maxBitsPerSecond,
          },
        }
      : null,
    drops: dropRows(totals, report),
    ruleHits: ruleHitRows(ruleHitTotals, report),
  };
}
