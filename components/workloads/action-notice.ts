/**
 * The deployment page's "Restart started…" / "Rolling back…" / "Paused" notices, derived
 * from the deployment's state rather than left set: a notice holds while the work its
 * action started can still be seen going on, and goes when the state says it is over.
 */
import type { Health } from "@/server/workloads/health";

export interface ActionNotice {
  text: string;
  /** "rolledOut": until the rollout the action started is no longer in progress; "resumed": while the deployment stays paused. */
  until: "rolledOut" | "resumed";
  /** The deployment's generation once the action was applied: older data does not show the action yet. */
  generation: number;
}

export function noticeHolds(
  notice: ActionNotice,
  d: { generation: number; spec: { paused: boolean }; health: Pick<Health, "state"> },
): boolean {
  if (d.generation < notice.generation) return true;
  if (notice.until === "resumed") return d.spec.paused;
  return d.health.state === "Progressing" || d.health.state === "Terminating";
}
