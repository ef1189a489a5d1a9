/**
 * The informer handler ConfigMaps and Secrets share (their kinds' `onChange`): pods of the
 * namespace waiting for one of them (FailedMount, CreateContainerConfigError) try again at once
 * instead of at their agent's next retry. A deletion wakes nothing (it cannot unblock a pod).
 * Imports core/ as types only (kinds/README.md).
 */
import type { Ctx } from "../core/context";
import type { ConfigMap, Secret } from "./types";

export function onPodSourceChange(
  ctx: Ctx,
  _before: ConfigMap | Secret | undefined,
  after: ConfigMap | Secret | undefined,
): void {
  if (after) ctx.runtime.sourceChanged?.(after.tenantId, after.namespace, after.kind, after.name);
}
