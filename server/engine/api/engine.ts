/**
 * createEngine: the public face of the orchestration engine.
 * Contract: every command is async, takes the tenant id first, validates its input and
 * either commits its whole change or throws EngineError (NOT_FOUND, INVALID,
 * QUOTA_EXCEEDED, GROWTH_FROZEN, CONFLICT, UNAVAILABLE) and changes nothing; a stale
 * `resourceVersion` precondition is CONFLICT. Namespaced commands and queries take a
 * `namespace` (default: the tenant's default namespace; queries: every namespace). Controllers then converge
 * the system in the background. Queries are synchronous reads of the cache.
 * Tests and benchmarks drive time with a virtual clock: `await engine.settle()`.
 * A standby follows instead of starting (`follow()`, core/follower.ts): it answers queries and
 * watches from the store's change log, runs nothing and commits nothing, until `start()`.
 */
import type { GrowthFreeze } from "../admission/admission";
import { EngineCore, type EngineDeps } from "../core/core";
import type { FollowStatus } from "../core/follower";
import { configCommands } from "./config-commands";
import { deploymentCommands } from "./deployment-commands";
import { limitRangeCommands } from "./limit-range-commands";
import { namespaceCommands } from "./namespace-commands";
import { nodeCommands } from "./node-commands";
import { operatorQueries } from "./operator-queries";
import { portQueries } from "./port-queries";
import type { Watch, WatchEvent, WatchKind, WatchOptions } from "../watch/types";
import { queries } from "./queries";
import { serviceCommands } from "./service-commands";
import { networkQueries } from "./network-queries";
import { networkCommands } from "./network-commands";
import { securityCommands } from "./security-commands";
import { publicIpCommands } from "./public-ip-commands";
import { publicIpOperatorCommands } from "./public-ip-operator-commands";

export type { EngineDeps };

export function createEngine(deps: EngineDeps) {
  const core = new EngineCore(deps);
  return {
    /** Load everything from the store (or, following, catch up), then reconcile it all (safe after a crash). */
    start: () => core.start(),
    /** Stop controllers, timers and the runtime (or stop following); uncommitted work is lost (by design). */
    stop: () => core.stop(),
    /** Stand by: follow the store's change log, serving queries and watches; start() then promotes. */
    follow: () => core.follow(),
    /** How current a standing-by engine is (undefined unless it follows). */
    followStatus: (): FollowStatus | undefined => core.followStatus,
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
    /** Follow committed changes (watch/types.ts: ADDED/MODIFIED/DELETED/BOOKMARK, or a 410 ERROR). */
    watch: (kind: WatchKind, opts: WatchOptions, onEvent: (e: WatchEvent) => void): Watch =>
      core.watch(kind, opts, onEvent),
    /** The revision of the last commit. */
    currentRevision: (): number => core.currentRevision,
    /** The tenant's growth freeze, if any. */
    growthFreeze: (tenantId: string): GrowthFreeze | undefined => core.growth.get(tenantId),
    ...deploymentCommands(core),
    ...nodeCommands(core),
    ...namespaceCommands(core),
    ...configCommands(core),
    ...limitRangeCommands(core),
    ...serviceCommands(core),
    ...networkQueries(core),
    ...networkCommands(core),
    ...securityCommands(core),
    ...publicIpCommands(core),
    ...publicIpOperatorCommands(core),
    ...queries(core),
    ...operatorQueries(core),
    ...portQueries(core),
    /** For tests and the operator dashboard: the internals, read-only by convention. */
    internals: core,
  };
}

export type Engine = ReturnType<typeof createEngine>;
