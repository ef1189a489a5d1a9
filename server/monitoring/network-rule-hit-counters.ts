/**
 * Cumulative security group rule hits per pod, from the traffic model's reports (`ruleHits`):
 * per direction, the packets and bytes each rule of the pod's groups admitted, as they got
 * through the pod's shaping. What `/api/metrics` serves as
 * `tenant_network_rule_hits_{packets,bytes}_total` (the counterpart of a cloud's flow logs and
 * rule hit counts: which rule lets a pod's traffic through, and how much). The same guarantees
 * as the drop counters (network-drop-counters.ts): never decreasing, a round counted once,
 * dropped with the pod.
 *
 * Cardinality: a pod's series per direction are the rules of its groups that admitted any of
 * its traffic, at most groupsPerPod × rulesPerGroup explicit rules (rulesPerPod, ≤ 1,000;
 * 5 × 60 = 300 by default, network/security/limits.ts) plus one same-group rule per group (5),
 * so at most 2 × 1,005 per pod (610 by default), and in practice no more than the flows it
 * sends and receives. A rule is named by its index: an edit that moves rules keeps counting
 * under the index, and groups a pod had before (its labels or a selector changed) keep their
 * series until the pod is gone.
 */
import type { Direction } from "../engine/network/qos/qos-annotations";
import type { PodTrafficReport, RuleHit } from "../engine/runtime/traffic/traffic-report";
import { createPodRateTotals } from "./network-drop-counters";

export interface RuleHitTotal {
  readonly direction: Direction;
  readonly group: string;
  /** The rule's index in the group's direction list, or "same-group" (allowSameGroupTraffic). */
  readonly rule: number | "same-group";
  packets: number;
  bytes: number;
}

export interface GroupRuleHits {
  readonly direction: Direction;
  readonly rule: number | "same-group";
  packets: number;
  bytes: number;
  /** How many pods the rule admitted traffic of. */
  pods: number;
}

export interface NetworkRuleHitCounters {
  /** Adds one pod's rule hits over the `intervalMs` before `at`. */
  record(at: number, intervalMs: number, tenantId: string, podId: string, report: PodTrafficReport): void;
  /** The pod's totals (empty when no rule admitted anything of it, or it was never modelled). */
  hitsOfPod(tenantId: string, podId: string): readonly Readonly<RuleHitTotal>[];
  /**
   * One group's totals per direction and rule, summed over the tenant's pods (a console's group
   * page: how much each rule admits). Pods gone take their part with them, so unlike a pod's
   * totals these can go down.
   */
  hitsOfGroup(tenantId: string, group: string): GroupRuleHits[];
  /** Drops the pods not recorded at `at` for which `exists` says no. */
  prune(at: number, exists: (tenantId: string, podId: string) => boolean): void;
}

// A group name is a DNS label: no "|".
const keyOf = (h: { direction: string; group: string; rule: number | string }) => `${h.direction}|${h.group}|${h.rule}`;

export function createNetworkRuleHitCounters(): NetworkRuleHitCounters {
  const totals = createPodRateTotals<RuleHit, RuleHitTotal>(
    (report) => report.ruleHits,
    keyOf,
    (h): RuleHitTotal => ({ direction: h.direction, group: h.group, rule: h.rule, packets: 0, bytes: 0 }),
  );
  return {
    record: totals.record,
    hitsOfPod: totals.ofPod,
    hitsOfGroup(tenantId, group) {
      const rows = new Map<string, GroupRuleHits>();
      for (const h of totals.ofTenant(tenantId)) {
        if (h.group !== group) continue;
        const key = `${h.direction}|${h.rule}`;
        let row = rows.get(key);
        if (row === undefined) {
          row = { direction: h.direction, rule: h.rule, packets: 0, bytes: 0, pods: 0 };
          rows.set(key, row);
        }
        row.packets += h.packets;
        row.bytes += h.bytes;
        row.pods++;
      }
      return [...rows.values()];
    },
    prune: totals.prune,
  };
}
