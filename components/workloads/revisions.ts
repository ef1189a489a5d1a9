import type { ReplicaSetViewOut as ReplicaSet } from "@/server/workloads/view-schemas";

/** A pod template as the views carry it (only its containers' images are read here). */
export type TemplateView = ReplicaSet["template"];

/** The images of a template's containers, comma-separated. */
export function imagesOf(t: TemplateView): string {
  return t.spec.containers.map((c) => c.image).join(", ");
}

/** The deployment's current revision (the newest kept one while the first rollout starts). */
export function currentRevisionOf(d: { status: { currentRevision: number }; revisions: ReplicaSet[] }): number {
  return d.status.currentRevision || (d.revisions[d.revisions.length - 1]?.revision ?? 0);
}
