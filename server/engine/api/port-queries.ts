/**
 * The orchestrator port's reads that used to be taken from `engine.internals`: whether the
 * engine runs, and every cached object of a kind. Read-only: the iterator walks the live
 * cache (no copy), so a caller must finish with it before its next await.
 */
import type { EngineCore } from "../core/core";
import type { ObjectKind, ObjectOfKind } from "../kinds/types";

export function portQueries(core: EngineCore) {
  return {
    /** True between start() and stop(). */
    isRunning: (): boolean => core.isRunning,
    /** Every cached object of `kind`, cluster-wide (operator read). */
    eachObject: <K extends ObjectKind>(kind: K): IterableIterator<ObjectOfKind<K>> => core.ctx.state.all(kind),
  };
}
