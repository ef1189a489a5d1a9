/**
 * Pure rolling-update arithmetic, ported from the Kubernetes deployment controller.
 * Guarantees (given replica-set sizes as input):
 * - resolveFenceposts: maxSurge rounds up, maxUnavailable rounds down; if both resolve
 *   to 0, maxUnavailable becomes 1 (as Kubernetes does) so a rollout can progress.
 * - newReplicaSetSize never lets the sum of replica-set sizes exceed replicas + maxSurge.
 * - oldScaleDown never lets available pods drop below replicas - maxUnavailable
 *   (unhealthy old pods are removed first, they cost no availability).
 * - proportionalSizes splits a mid-rollout scale across revisions in proportion.
 */
import type { IntOrPercent } from "../kinds/types";

export function intOrPercent(v: IntOrPercent, total: number, roundUp: boolean): number {
  if (typeof v === "number") return v;
  const pct = Number(v.slice(0, -1));
  const x = (pct * total) / 100;
  return roundUp ? Math.ceil(x) : Math.floor(x);
}

export function resolveFenceposts(maxSurge: IntOrPercent, maxUnavailable: IntOrPercent, replicas: number) {
  const surge = intOrPercent(maxSurge, replicas, true);
  let unavailable = intOrPercent(maxUnavailable, replicas, false);
  if (surge === 0 && unavailable === 0) unavailable = 1;
  return { maxSurge: surge, maxUnavailable: Math.min(unavailable, replicas) };
}

export interface RsView {
  id: string;
  replicas: number;
  available: number;
  createdAt: number;
  revision: number;
  maxReplicas: number;
}

/** Target size for the new replica set during a rolling update. */
export function newReplicaSetSize(replicas: number, maxSurge: number, allSizes: number, newSize: number): number {
  if (newSize >= replicas) return replicas;
  const maxTotal = replicas + maxSurge;
  if (allSizes >= maxTotal) return newSize;
  return newSize + Math.min(maxTotal - allSizes, replicas - newSize);
}

/** New sizes for old replica sets (by id); only entries that change are returned. */
export function oldScaleDown(
  replicas: number,
  maxUnavailable: number,
  newRs: RsView | undefined,
  olds: RsView[],
): Map<string, number> {
  const out = new Map<string, number>();
  const oldTotal = olds.reduce((s, r) => s + r.replicas, 0);
  if (oldTotal === 0) return out;
  const all = oldTotal + (newRs?.replicas ?? 0);
  const minAvailable = replicas - maxUnavailable;
  const newUnavailable = newRs ? Math.max(0, newRs.replicas - newRs.available) : 0;
  const maxScaledDown = all - minAvailable - newUnavailable;
  if (maxScaledDown <= 0) return out;
  const sorted = [...olds].sort((a, b) => a.createdAt - b.createdAt || a.revision - b.revision);
  const size = new Map(sorted.map((r) => [r.id, r.replicas]));
  // 1. Unhealthy old pods first: removing them costs no availability.
  let cleaned = 0;
  for (const r of sorted) {
    if (cleaned >= maxScaledDown) break;
    const unhealthy = Math.max(0, r.replicas - r.available);
    const n = Math.min(maxScaledDown - cleaned, unhealthy);
    if (n > 0) {
      size.set(r.id, r.replicas - n);
      cleaned += n;
    }
  }
  // 2. Then healthy ones, as far as availability allows.
  const available = olds.reduce((s, r) => s + Math.min(r.available, size.get(r.id) ?? 0), 0) + (newRs?.available ?? 0);
  let budget = available - minAvailable;
  for (const r of sorted) {
    if (budget <= 0) break;
    const cur = size.get(r.id) ?? 0;
    const n = Math.min(cur, budget);
    if (n > 0) {
      size.set(r.id, cur - n);
      budget -= n;
    }
  }
  for (const r of sorted) if (size.get(r.id) !== r.replicas) out.set(r.id, size.get(r.id) ?? 0);
  return out;
}

/**
 * Sizes after the deployment's replicas changed while several revisions are active:
 * each grows or shrinks in proportion to its share, the remainder goes to the largest
 * (ties: newest when growing, oldest when shrinking), never below 0.
 */
export function proportionalSizes(replicas: number, maxSurge: number, active: RsView[]): Map<string, number> {
  const total = active.reduce((s, r) => s + r.replicas, 0);
  const allowed = replicas > 0 ? replicas + maxSurge : 0;
  const toAdd = allowed - total;
  const out = new Map(active.map((r) => [r.id, r.replicas]));
  if (toAdd === 0 || active.length === 0) return out;
  const sorted = [...active].sort(
    (a, b) =>
      b.replicas - a.replicas ||
      (toAdd > 0
        ? b.createdAt - a.createdAt || b.revision - a.revision
        : a.createdAt - b.createdAt || a.revision - b.revision),
  );
  let added = 0;
  for (const r of sorted) {
    let fraction: number;
    if (replicas === 0) fraction = -r.replicas;
    else {
      const annotatedMax = r.maxReplicas > 0 ? r.maxReplicas : total;
      fraction = Math.round((r.replicas * allowed) / annotatedMax) - r.replicas;
    }
    const p = toAdd > 0 ? Math.min(fraction, toAdd - added) : Math.max(fraction, toAdd - added);
    out.set(r.id, r.replicas + p);
    added += p;
  }
  const first = sorted[0];
  if (first && added !== toAdd) out.set(first.id, Math.max(0, (out.get(first.id) ?? 0) + toAdd - added));
  return out;
}
