/**
 * Growth admission: a tenant may be "growth frozen" (billing freezes one whose balance has
 * been negative past its grace period). While frozen, a command that would raise what the
 * tenant claims is refused with GROWTH_FROZEN and changes nothing; one that keeps or lowers
 * it (scale down, delete, pause, any rollout whose pods request no more) is admitted.
 * Guarantees:
 * - Checked in the engine's command path, in the same synchronous step that stages the
 *   change and before its commit, like quota: nothing can slip in between the check and the
 *   write, and no command is left out (create, scale, update, rollback, restart, node pools
 *   and any added later), because the check compares the tenant's claims before and after
 *   the command rather than knowing which command it is.
 * - A claim is the steady state: request × replicas per deployment, plus per node pool its
 *   minimum, maximum and warm standbys in machine cpu (a larger machine type claims more), plus
 *   the public IPs held and the bandwidth bought for them.
 *   A rollout's surge is not counted: it is transient, and counting it would stop a frozen
 *   tenant from rolling out the image fix for a crash-looping workload (quota admission
 *   still counts surge). Growth in any one of these is growth: more cpu for fewer pods is
 *   still more cpu.
 * - The freeze lives in memory, like heartbeats: whoever sets it sets it again at start.
 * - Free while no tenant is frozen: claims are computed for frozen tenants only.
 */
import { EngineError, type ErrorDetail } from "../core/errors";
import { claimOf } from "./quota";
import type { EngineState } from "../core/state";
import { MACHINE_TYPES } from "../kinds/types";

/** Why a tenant may not grow: the message (and its catalog form) every refusal carries. */
export interface GrowthFreeze {
  message: string;
  detail?: ErrorDetail;
}

const DIMENSIONS = [
  "cpuMillis",
  "memoryBytes",
  "pods",
  "poolMinCpu",
  "poolMaxCpu",
  "poolWarmCpu",
  "publicIps",
  "publicIpMbps",
] as const;
type Claims = Record<(typeof DIMENSIONS)[number], number>;

/** Everything the tenant claims in steady state: its deployments' requests and its pools' sizes. */
export function tenantClaims(state: EngineState, tenantId: string): Claims {
  const c: Claims = {
    cpuMillis: 0,
    memoryBytes: 0,
    pods: 0,
    poolMinCpu: 0,
    poolMaxCpu: 0,
    poolWarmCpu: 0,
    publicIps: 0,
    publicIpMbps: 0,
  };
  for (const d of state.ofTenant("Deployment", tenantId)) {
    const claim = claimOf(d.spec, false);
    c.cpuMillis += claim.cpuMillis;
    c.memoryBytes += claim.memoryBytes;
    c.pods += claim.pods;
  }
  for (const p of state.ofTenant("NodePool", tenantId)) {
    const cpu = MACHINE_TYPES[p.machineType].cpuMillis;
    c.poolMinCpu += p.minSize * cpu;
    c.poolMaxCpu += p.maxSize * cpu;
    c.poolWarmCpu += p.warmPoolSize * cpu;
  }
  // Public IPs are billed from allocation, bound or not, and per bandwidth bought.
  for (const p of state.ofTenant("PublicIP", tenantId)) {
    c.publicIps++;
    c.publicIpMbps += p.spec.bandwidthMbps;
  }
  return c;
}

export class GrowthAdmission {
  private readonly frozen = new Map<string, GrowthFreeze>();

  /** Freeze (or, with undefined, thaw) a tenant's growth from the next command on. */
  set(tenantId: string, freeze: GrowthFreeze | undefined): void {
    if (freeze) this.frozen.set(tenantId, freeze);
    else this.frozen.delete(tenantId);
  }

  get(tenantId: string): GrowthFreeze | undefined {
    return this.frozen.get(tenantId);
  }

  /** The frozen tenants' claims before a command stages anything (undefined: nobody is frozen). */
  before(state: EngineState): Map<string, Claims> | undefined {
    if (this.frozen.size === 0) return undefined;
    return new Map([...this.frozen.keys()].map((t) => [t, tenantClaims(state, t)]));
  }

  /** Throws GROWTH_FROZEN when the staged command raised a frozen tenant's claims. */
  admit(state: EngineState, before: Map<string, Claims> | undefined): void {
    if (!before) return;
    for (const [tenantId, was] of before) {
      const freeze = this.frozen.get(tenantId);
      if (!freeze) continue;
      const now = tenantClaims(state, tenantId);
      if (DIMENSIONS.some((k) => now[k] > was[k]))
        throw new EngineError("GROWTH_FROZEN", freeze.message, freeze.detail);
    }
  }
}
