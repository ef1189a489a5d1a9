/**
 * The engine's public addresses: the operators' pool (one PublicIpPool allocator over every
 * PublicIPPool object's ranges) and the bindings of the committed PublicIPs (address → the pod or
 * LoadBalancer Service holding it; a pod → its public address), both memory only.
 *
 * Guarantees:
 * - An address belongs to at most one live PublicIP. The allocator is rebuilt from the committed
 *   PublicIPPools and PublicIPs whenever the engine loads its state (`restore`), so an allocation
 *   staged with a failed commit is forgotten with it; an address is released only once the
 *   PublicIP's deletion is committed (its informer handler), then held 5 min before reuse. A hold
 *   survives a restart through the release's event (`PublicIpReleased`, committed with the deletion,
 *   its message opening with the address); one whose event is gone (its namespace deleted) does not.
 * - Ranges follow the committed pools (`poolChanged`); the commands refuse an overlap or the removal
 *   of a range holding allocated addresses before anything is staged.
 * - Bindings hold exactly the committed Bound PublicIPs: updated per changed PublicIP, rebuilt only
 *   at a load; reads are map lookups (O(bindings) memory, nothing per pod).
 * - DDoS protection state (network/security/ddos.ts) is rebuilt from the PublicIPs' status at every
 *   load: an operator's override and a blackhole in force survive a restart.
 */
import type { Ctx } from "../core/context";
import { EngineError } from "../core/errors";
import type { EngineState } from "../core/state";
import { EVENTS_BY_REASON, PUBLIC_IP_RELEASED } from "../kinds/event";
import { isLive } from "../kinds/pod-status";
import {
  PUBLIC_IPS_BY_ADDRESS,
  PUBLIC_IPS_BY_HOLDER,
  PUBLIC_IPS_BY_TARGET,
  PUBLIC_IPS_BY_WAITING_REPLICA_SET,
  type PublicIp,
  publicIpTargetKey,
} from "../kinds/public-ip";
import { PUBLIC_IP_POOL_OWNER, type PublicIpPool as PoolObject, type PublicIpPoolUsage } from "../kinds/public-ip-pool";
import type { Service } from "../kinds/service";
import type { Pod } from "../kinds/types";
import { type Cidr, cidrContains, formatCidr, formatIpv4, type Ipv4, parseCidr, parseIpv4 } from "./ipv4";
import { DEFAULT_PUBLIC_HOLD_MS, PublicIpPool, type RestoreProblem } from "./ipam";
import type { DdosProtection } from "./security/ddos";

/** A committed Bound PublicIP, as the data plane reads it. */
export interface PublicIpBinding {
  readonly ip: Ipv4;
  readonly address: string;
  readonly tenantId: string;
  readonly namespace: string;
  /** The PublicIP object's name and uid. */
  readonly name: string;
  readonly uid: string;
  /** bandwidthMbps in bits/s: the public NIC's cap, both ways. */
  readonly bitsPerSecond: number;
  readonly target:
    | { readonly kind: "Pod"; readonly podUid: string; readonly privateIp: Ipv4 }
    | { readonly kind: "Service"; readonly namespace: string; readonly name: string };
}

export const NO_FREE_PUBLIC_ADDRESS = "no free public address in the pool";

export class PublicIpNetwork {
  private pool: PublicIpPool;
  /** Range (canonical CIDR text) → its pool's name. */
  private readonly poolOfRange = new Map<string, string>();
  private readonly bindings = new Map<Ipv4, PublicIpBinding>();
  /** tenant → pod's private address → its binding (pods bound to a public IP only). */
  private readonly podBindings = new Map<string, Map<Ipv4, PublicIpBinding>>();
  /** PublicIP uid → the address its binding is filed under. */
  private readonly bindingOf = new Map<string, Ipv4>();

  constructor(
    private readonly state: EngineState,
    readonly ddos: DdosProtection,
    private readonly holdMs = DEFAULT_PUBLIC_HOLD_MS,
  ) {
    this.pool = new PublicIpPool({ holdMs });
  }

  // --- load ---------------------------------------------------------------------------------------

  /** Rebuilds the pool, the bindings and the DDoS state from the committed objects; what could not be kept is returned. */
  restore(now: number): RestoreProblem[] {
    const pools = [...this.state.ofTenant("PublicIPPool", PUBLIC_IP_POOL_OWNER)].sort(
      (a, b) => a.createdAt - b.createdAt,
    );
    this.poolOfRange.clear();
    const ranges: string[] = [];
    for (const p of pools)
      for (const c of p.spec.cidrs) {
        this.poolOfRange.set(c, p.name);
        ranges.push(c);
      }
    const pips = [...this.state.all("PublicIP")].sort((a, b) => a.createdAt - b.createdAt);
    const holds = this.state
      .indexed("Event", EVENTS_BY_REASON, PUBLIC_IP_RELEASED)
      .map((e) => ({ ip: e.message.slice(0, e.message.indexOf(" ")), until: e.lastTime + this.holdMs }))
      .filter((h) => h.until > now);
    const restored = PublicIpPool.restore(
      ranges,
      pips.map((p) => ({ owner: p.id, tenantId: p.tenantId, ip: p.status.address })),
      { now, holdMs: this.holdMs, holds },
    );
    this.pool = restored.pool;
    this.bindings.clear();
    this.podBindings.clear();
    this.bindingOf.clear();
    this.ddos.reset();
    for (const p of pips) {
      this.file(p);
      const ip = parseIpv4(p.status.address);
      const d = p.status.ddos;
      if (d.protectionDisabled) this.ddos.disable(ip, now);
      else if (d.blackholedUntil !== undefined)
        this.ddos.restoreBlackhole(ip, d.lastBlackholeAt ?? now, d.blackholedUntil);
    }
    return restored.problems;
  }

  // --- committed changes ----------------------------------------------------------------------

  /**
   * A committed PublicIPPool change: its ranges join or leave the allocator. The commands refused
   * what the allocator would (an overlap, a range holding addresses), so neither refusal happens;
   * were one to, keeping the allocator as it is stays safe: no address is handed out twice.
   */
  poolChanged(ctx: Ctx, before: PoolObject | undefined, after: PoolObject | undefined): void {
    const now = ctx.clock.now();
    const was = new Set(before?.spec.cidrs ?? []);
    const is = new Set(after?.spec.cidrs ?? []);
    for (const c of was) if (!is.has(c) && this.pool.removeRange(c, now).ok) this.poolOfRange.delete(c);
    for (const c of is)
      if (!was.has(c) && this.pool.addRange(c, now).ok) this.poolOfRange.set(c, (after as PoolObject).name);
  }

  /** A committed PublicIP change: bindings follow; a deletion returns the address (held) and ends its DDoS state. */
  publicIpChanged(ctx: Ctx, before: PublicIp | undefined, after: PublicIp | undefined): void {
    const p = (after ?? before) as PublicIp;
    this.unfile(p.id);
    if (after) this.file(after);
    else if (before) {
      this.pool.release(before.id, ctx.clock.now());
      this.ddos.forget(parseIpv4(before.status.address));
    }
    ctx.queues.publicIps.add(`pip/${p.id}`, before === undefined ? "add" : after === undefined ? "delete" : "update");
    for (const o of [before, after])
      if (o?.spec.target?.kind === "Service")
        ctx.queues.publicIps.add(serviceKey(o.tenantId, o.namespace, o.spec.target.name), "update");
  }

  /**
   * A committed Pod change: the PublicIPs it holds are synced when its address or liveness changes;
   * a new pod may be the one a Pending PublicIP names, a sticky binding's replacement or a movePod
   * copy. O(1) per pod change; nothing at all while no PublicIP exists.
   */
  podChanged(ctx: Ctx, before: Pod | undefined, after: Pod | undefined): void {
    if (this.state.count("PublicIP") === 0) return;
    const pod = (after ?? before) as Pod;
    const q = ctx.queues.publicIps;
    const queue = (index: string, key: string) => {
      // Most pods hold none: a count first, so nothing is allocated for them.
      if (this.state.indexedCount("PublicIP", index, key) === 0) return;
      for (const p of this.state.indexed("PublicIP", index, key)) q.add(`pip/${p.id}`, "update");
    };
    if (
      !after ||
      !before ||
      before.podIP !== after.podIP ||
      isLive(before) !== isLive(after) ||
      before.deletionTimestamp !== after.deletionTimestamp
    )
      queue(PUBLIC_IPS_BY_HOLDER, pod.id);
    if (before !== undefined || after === undefined) return;
    queue(PUBLIC_IPS_BY_TARGET, publicIpTargetKey(after.tenantId, after.namespace, "Pod", after.name));
    if (after.ownerReplicaSetId !== undefined) queue(PUBLIC_IPS_BY_WAITING_REPLICA_SET, after.ownerReplicaSetId);
    if (after.migrationOf !== undefined) queue(PUBLIC_IPS_BY_HOLDER, after.migrationOf);
  }

  /** A committed Service change: the PublicIPs naming it re-decide their phase, and its ingress is synced. */
  serviceChanged(ctx: Ctx, before: Service | undefined, after: Service | undefined): void {
    if (this.state.count("PublicIP") === 0) return;
    const svc = (after ?? before) as Service;
    const key = publicIpTargetKey(svc.tenantId, svc.namespace, "Service", svc.name);
    const named = this.state.indexed("PublicIP", PUBLIC_IPS_BY_TARGET, key);
    if (named.length === 0) return;
    if (before?.spec.type !== after?.spec.type)
      for (const p of named) ctx.queues.publicIps.add(`pip/${p.id}`, "update");
    ctx.queues.publicIps.add(serviceKey(svc.tenantId, svc.namespace, svc.name), "update");
  }

  // --- allocation (commands) --------------------------------------------------------------------

  /** An address for a PublicIP being created; CONFLICT when the pool has none free. */
  allocate(owner: string, tenantId: string, now: number): { address: string; pool: string } {
    const r = this.pool.allocate(owner, tenantId, now);
    if (!r.ok) {
      const until =
        r.availableAt === undefined ? "" : ` (one is free again at ${new Date(r.availableAt).toISOString()})`;
      throw new EngineError("CONFLICT", `${NO_FREE_PUBLIC_ADDRESS}${until}; ask an operator to add a range`);
    }
    return { address: formatIpv4(r.ip), pool: this.poolNameOf(r.ip) };
  }

  /** Returns an address allocated for an object that will not be stored (a dry run, a refused command). */
  releaseUnstored(owner: string, now: number): void {
    this.pool.release(owner, now, { hold: false });
  }

  /** Allocated addresses in `cidr` (a range an operator wants to remove), for the refusal. */
  allocatedIn(cidr: Cidr): { address: string; tenantId: string }[] {
    const out: { address: string; tenantId: string }[] = [];
    for (const a of this.pool.records())
      if (cidrContains(cidr, a.ip)) out.push({ address: formatIpv4(a.ip), tenantId: a.tenantId });
    return out.sort((x, y) => parseIpv4(x.address) - parseIpv4(y.address));
  }

  /** The pool's usage, range by range (ranges the allocator does not hold yet count as free). */
  usageOf(pool: PoolObject, now: number): PublicIpPoolUsage {
    const all = new Map(this.pool.usage(now).ranges.map((r) => [r.cidr, r]));
    const ranges = pool.spec.cidrs.map((c) => {
      const known = all.get(c);
      if (known) return { ...known };
      const usable = parseCidr(c).size - 2;
      return { cidr: c, usable, used: 0, onHold: 0, free: usable };
    });
    const sum = (f: (r: (typeof ranges)[number]) => number) => ranges.reduce((n, r) => n + f(r), 0);
    return {
      usable: sum((r) => r.usable),
      used: sum((r) => r.used),
      onHold: sum((r) => r.onHold),
      free: sum((r) => r.free),
      ranges,
    };
  }

  // --- the data plane's reads ---------------------------------------------------------------------

  /** The committed binding of public address `ip` (Bound PublicIPs only). */
  bindingAt(ip: Ipv4): PublicIpBinding | undefined {
    return this.bindings.get(ip);
  }

  /** The public address bound to the tenant's pod at private address `privateIp`. */
  podBinding(tenantId: string, privateIp: Ipv4): PublicIpBinding | undefined {
    return this.podBindings.get(tenantId)?.get(privateIp);
  }

  /** Every committed binding (the traffic model's per-public-IP report). */
  allBindings(): IterableIterator<PublicIpBinding> {
    return this.bindings.values();
  }

  get boundCount(): number {
    return this.bindings.size;
  }

  /** The PublicIP holding `address`, whoever's (operators' commands). */
  publicIpAt(address: string): PublicIp | undefined {
    return this.state.indexed("PublicIP", PUBLIC_IPS_BY_ADDRESS, address)[0];
  }

  // --- internals ------------------------------------------------------------------------------------

  private poolNameOf(ip: Ipv4): string {
    for (const cidr of this.pool.rangeCidrs())
      if (cidrContains(cidr, ip)) return this.poolOfRange.get(formatCidr(cidr)) ?? "";
    return "";
  }

  private file(p: PublicIp): void {
    if (p.status.phase !== "Bound" || p.spec.target === undefined) return;
    const ip = parseIpv4(p.status.address);
    let target: PublicIpBinding["target"];
    if (p.spec.target.kind === "Service") {
      target = { kind: "Service", namespace: p.namespace, name: p.spec.target.name };
    } else {
      const pod: Pod | undefined = this.state.get("Pod", p.holder?.podUid);
      if (pod?.podIP === undefined) return;
      target = { kind: "Pod", podUid: pod.id, privateIp: parseIpv4(pod.podIP) };
    }
    const binding: PublicIpBinding = {
      ip,
      address: p.status.address,
      tenantId: p.tenantId,
      namespace: p.namespace,
      name: p.name,
      uid: p.id,
      bitsPerSecond: p.spec.bandwidthMbps * 1_000_000,
      target,
    };
    this.bindings.set(ip, binding);
    this.bindingOf.set(p.id, ip);
    if (target.kind === "Pod") {
      let mine = this.podBindings.get(p.tenantId);
      if (mine === undefined) {
        mine = new Map();
        this.podBindings.set(p.tenantId, mine);
      }
      mine.set(target.privateIp, binding);
    }
  }

  private unfile(uid: string): void {
    const ip = this.bindingOf.get(uid);
    if (ip === undefined) return;
    this.bindingOf.delete(uid);
    const b = this.bindings.get(ip);
    this.bindings.delete(ip);
    if (b?.target.kind === "Pod") {
      const mine = this.podBindings.get(b.tenantId);
      if (mine?.get(b.target.privateIp) === b) mine.delete(b.target.privateIp);
      if (mine?.size === 0) this.podBindings.delete(b.tenantId);
    }
  }
}

/**
 * The release's event, staged with the deletion: what a restart reads to keep the address on hold
 * (its message opens with the address).
 */
export function recordRelease(ctx: Ctx, p: PublicIp): void {
  const minutes = Math.round(ctx.config.publicIpHoldMs / 60_000);
  ctx.events.recordFor(
    p,
    "Normal",
    PUBLIC_IP_RELEASED,
    `${p.status.address} released: held ${minutes} min before any tenant gets it again`,
  );
}

/** The binding controller's key for a Service's LoadBalancer ingress. */
export const serviceKey = (tenantId: string, namespace: string, name: string) => `svc/${tenantId}/${namespace}/${name}`;
