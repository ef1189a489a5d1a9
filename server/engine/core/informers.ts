/**
 * Informers: after a batch commits, turn each change (before -> after) into work by calling
 * its kind's informer handler (`onChange` in the kind's module under kinds/, found through
 * the registry): queue keys for the controllers, scheduler entries, and runtime calls. This
 * is the only place that fans out, and it runs only on committed changes, so nothing acts on
 * a write that might still be lost. Priorities: the object's own key gets add/update/delete;
 * dependants (a pod's replica set, a replica set's deployment) get update.
 */
import { KINDS } from "../kinds/registry";
import type { EngineObject, ObjectKind } from "../kinds/types";
import type { Ctx } from "./context";
import type { Change } from "./state";

type Handler = (ctx: Ctx, before: EngineObject | undefined, after: EngineObject | undefined) => void;

/** Each kind's handler, looked up once per change (kinds without one set nothing going). */
const HANDLERS = new Map<ObjectKind, Handler>();
for (const def of KINDS) if (def.onChange) HANDLERS.set(def.kind, def.onChange as Handler);

export function dispatch(ctx: Ctx, changes: Change[]): void {
  for (const c of changes) HANDLERS.get(c.kind)?.(ctx, c.before, c.after);
}
