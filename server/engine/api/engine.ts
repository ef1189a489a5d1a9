/**
 * createEngine: the public face of the orchestration engine.
 * Contract: every command is async, takes the tenant id first, validates its input and
 * either commits its whole change or throws EngineError (NOT_FOUND, INVALID,
 * QUOTA_EXCEEDED, GROWTH_FROZEN, CONFLICT, UNAVAILABLE) and changes nothing. Controllers then converge
 * the system in the background. Queries are synchronous reads of the cache.
 * Tests and benchmarks drive time with a virtual clock: `await engine.settle()`.
 */
import type { GrowthFreeze } from "../admission/admission";
import { EngineCore, type EngineDeps } from "../core/core";
import { deploymentCommands } from "./deployment-commands";
import { nodeCommands } from "./node-commands";
import { operatorQueries } from "./operator-queries";
import { queries } from "./queries";

export type { EngineDeps };

export function createEngine(deps: EngineDeps) {
  const core = new EngineCore(deps);
  return {
    /** Load everything from the store, then reconcile it all (safe after a crash). */
    start: () => core.start(),
    /** Stop controllers, timers and the runtime; uncommitted work is lost (by design). */
    stop: () => core.stop(),
    /** Wait until no controller pass is running or queued (does not move time). */
    whenIdle: () => core.whenIdle(),
    /** Virtual clock only: advance time until no work is queued or timed (bounded by maxMs). */
    settle: (maxMs?: number) => core.settle(maxMs),
    /** Virtual clock only: advance exactly `ms`, running controllers at every timer; onStep sees every intermediate state. */
    runFor: (ms: number, onStep?: () => void) => core.runFor(ms, onStep),
    /**
     * Freeze a tenant's growth (or thaw it, with undefined): from the next command on,
     * whatever would raise its claims is refused with GROWTH_FROZEN and this reason. In
     * memory only: the owner of the rule (billing) sets it again at every start.
     */
    setGrowthFrozen: (tenantId: string, freeze: GrowthFreeze | undefined) => core.growth.set(tenantId, freeze),
    /** The tenant's growth freeze, if any. */
    growthFreeze: (tenantId: string): GrowthFreeze | undefined => core.growth.get(tenantId),
    ...deploymentCommands(core),
    ...nodeCommands(core),
    ...queries(core),
    ...operatorQueries(core),
    /** For tests and the operator dashboard: the internals, read-only by convention. */
    internals: core,
  };
}

export type Engine = ReturnType<typeof createEngine>;
