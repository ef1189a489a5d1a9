/**
 * Change causes (Kubernetes' `kubernetes.io/change-cause`). Guarantees:
 * - describeTemplateChange names what a template edit changed: only images → ImageSet with
 *   the new images; only the restartedAt annotation → Restarted; anything else →
 *   TemplateChanged with the changed fields in a fixed order.
 * - stampChangeCause copies the deployment's cause onto the replica set of its current
 *   template, as the deployment controller copies annotations to the new replica set; it
 *   writes only when the cause differs, so a sync stays idempotent.
 * - changeCauseText is the annotation's English text ("image set to nginx:1.27").
 */
import type { Ctx } from "../core/context";
import { MODELLED_CONTAINER_FIELDS } from "./container-schema";
import { jsonEqual } from "./json-equal";
import type { ChangeCause, ContainerSpec, Deployment, PodTemplate, ReplicaSet } from "./types";

export const RESTARTED_AT = "kubectl.kubernetes.io/restartedAt";

/** What a change cause compares between two containers: every modelled field, and those kept as given. */
const CONTAINER_FIELDS = [...MODELLED_CONTAINER_FIELDS, "unmodelled"] as const;
const POD_FIELDS = [
  "restartPolicy",
  "terminationGracePeriodSeconds",
  "nodeSelector",
  "volumes",
  "securityContext",
  "unmodelled",
] as const;

export function imagesOf(t: PodTemplate): string[] {
  return t.spec.containers.map((c) => c.image);
}

export function describeTemplateChange(before: PodTemplate, after: PodTemplate): ChangeCause {
  const fields = changedFields(before, after);
  if (fields.length === 1 && fields[0] === "image") {
    const images = after.spec.containers
      .filter((c, i) => c.image !== before.spec.containers[i]?.image)
      .map((c) => c.image);
    return { reason: "ImageSet", images };
  }
  if (fields.length === 1 && fields[0] === "annotations" && restartOnly(before, after)) return { reason: "Restarted" };
  return { reason: "TemplateChanged", fields };
}

function changedFields(before: PodTemplate, after: PodTemplate): string[] {
  const out = new Set<string>();
  const a = before.spec.containers;
  const b = after.spec.containers;
  if (a.length !== b.length) out.add("containers");
  for (let i = 0; i < Math.min(a.length, b.length); i++) {
    for (const f of CONTAINER_FIELDS) if (!jsonEqual(field(a[i], f), field(b[i], f))) out.add(f);
  }
  for (const f of POD_FIELDS) if (!jsonEqual(before.spec[f], after.spec[f])) out.add(f);
  if (!jsonEqual(before.labels, after.labels)) out.add("labels");
  if (!jsonEqual(before.annotations, after.annotations)) out.add("annotations");
  return [...out];
}

const field = (c: ContainerSpec | undefined, f: (typeof CONTAINER_FIELDS)[number]): unknown => c?.[f];

function restartOnly(before: PodTemplate, after: PodTemplate): boolean {
  const { [RESTARTED_AT]: was, ...restBefore } = before.annotations;
  const { [RESTARTED_AT]: now, ...restAfter } = after.annotations;
  return now !== undefined && now !== was && jsonEqual(restBefore, restAfter);
}

/** The replica set with the deployment's current cause (the same object when it has it). */
export function stampChangeCause(ctx: Ctx, d: Deployment, rs: ReplicaSet): ReplicaSet {
  if (!d.changeCause || jsonEqual(rs.changeCause, d.changeCause)) return rs;
  return ctx.state.put({ ...rs, changeCause: d.changeCause });
}

export function changeCauseText(c: ChangeCause): string {
  switch (c.reason) {
    case "Created":
      return `created with image ${c.images.join(", ")}`;
    case "ImageSet":
      return `image set to ${c.images.join(", ")}`;
    case "Restarted":
      return "restarted";
    case "RolledBack":
      return `rolled back to revision ${c.toRevision}`;
    case "TemplateChanged":
      return `template changed: ${c.fields.join(", ")}`;
  }
}
