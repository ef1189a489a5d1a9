/**
 * What one watch selects: kind, tenant, namespace, label and field selectors compiled once
 * (an invalid selector throws EngineError INVALID here, before the watch exists). The
 * matcher allocates nothing per call: it runs for every change of the watched tenant.
 */
import { EngineError } from "../core/errors";
import type { EngineObject } from "../kinds/types";
import { type FieldGetters, fieldSelectorMatcher, labelSelectorMatcher } from "../kinds/selectors";
import type { WatchKind, WatchOptions } from "./types";

type Loose = Record<string, unknown>;
const str = (v: unknown): string | undefined => (typeof v === "string" ? v : undefined);

/** Field paths every watch accepts; a kind without the field reads it as "" (as Kubernetes reads an unset one). */
export function fieldGetters(nodeName: (nodeId: string) => string | undefined): FieldGetters<EngineObject> {
  return {
    "metadata.name": (o) => str((o as unknown as Loose).name),
    "metadata.namespace": (o) => str((o as unknown as Loose).namespace),
    "spec.nodeName": (o) => {
      const l = o as unknown as Loose;
      const id = str(l.nodeId);
      return str(l.nodeName) ?? (id === undefined ? undefined : nodeName(id));
    },
    "status.phase": (o) => {
      const l = o as unknown as Loose;
      const status = l.status as Loose | undefined;
      return str(status?.phase) ?? str(l.phase);
    },
    "involvedObject.kind": (o) => str((o as unknown as Loose).objectKind),
    "involvedObject.name": (o) => str((o as unknown as Loose).objectName),
    "involvedObject.namespace": (o) => str((o as unknown as Loose).namespace),
  };
}

export type ObjectMatcher = (o: EngineObject) => boolean;

export function compileFilter(
  kind: WatchKind,
  opts: WatchOptions,
  nodeName: (nodeId: string) => string | undefined,
): ObjectMatcher {
  if (opts.bookmarkIntervalMs !== undefined && !(opts.bookmarkIntervalMs >= 1000))
    throw new EngineError("INVALID", "bookmarkIntervalMs must be at least 1000");
  if (opts.resourceVersion !== undefined && !(Number.isInteger(opts.resourceVersion) && opts.resourceVersion >= 0))
    throw new EngineError("INVALID", `invalid resourceVersion "${opts.resourceVersion}"`);
  const labels = labelSelectorMatcher(opts.labelSelector || undefined);
  const fields = fieldSelectorMatcher(opts.fieldSelector || undefined, fieldGetters(nodeName));
  const { namespace, tenantId } = opts;
  return (o) => {
    if (kind !== "*" && o.kind !== kind) return false;
    if (tenantId !== undefined && o.tenantId !== tenantId) return false;
    if (namespace !== undefined && (o as unknown as Loose).namespace !== namespace) return false;
    return labels((o as unknown as { labels?: Record<string, string> }).labels) && fields(o);
  };
}
