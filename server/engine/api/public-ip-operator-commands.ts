/**
 * Operators' public IP commands and queries: the PublicIPPools (the shared pool's ranges), every
 * tenant's PublicIPs, DDoS protection's overrides and events, and the network usage by tenant.
 * Never reachable by a tenant (the API checks the operator role first). Guarantees:
 * - A pool's ranges are IPv4 CIDRs of /16 to /30, public (ipam/public-range.ts), overlapping no other
 *   range of any pool (INVALID at `spec.cidrs[i]`); removing a range, or deleting a pool, that holds
 *   allocated addresses is CONFLICT naming the range and how many it holds.
 * - Clearing a blackhole or disabling protection acts on DdosProtection at once and writes the
 *   PublicIP's `status.ddos` with its event in the same command; an unknown address is NOT_FOUND.
 * - Pool usage and network usage read the leader's memory (allocator holds, the traffic model).
 */
import type { Ctx } from "../core/context";
import type { EngineCore } from "../core/core";
import { EngineError, notFound } from "../core/errors";
import { newId } from "../core/context";
import { checkResourceVersion, mustFind, type Page, paginate } from "../core/lookup";
import { DDOS_EVENT_REASONS, EVENTS_BY_REASON } from "../kinds/event";
import type { PublicIp } from "../kinds/public-ip";
import {
  POOL_RANGE_PREFIX,
  PUBLIC_IP_POOL_OWNER,
  type PublicIpPool,
  type PublicIpPoolInput,
  type PublicIpPoolView,
  publicIpPoolSchema,
} from "../kinds/public-ip-pool";
import type { EngineEvent } from "../kinds/types";
import { parseInput } from "../kinds/validation";
import { cidrsOverlap, formatCidr, parseCidr, parseIpv4 } from "../network/ipv4";
import { readPublicRange } from "../network/ipam";
import { applyDdosEvents, putDdos } from "../network/public-ip-ddos";
import { type FieldProblem, invalidObjectError } from "../network/security";
import { commandOrDryRun, type DryRunOption } from "./dry-run";
import type { TenantNetworkUsage } from "./orchestrator";
import type { ListOptions } from "./queries";
import { putReplacement, storedMap } from "./replace-object";

const KIND = "PublicIPPool.cloud.tenant.io";

export function publicIpOperatorCommands(core: EngineCore) {
  const ctx: Ctx = core.ctx;
  const { state } = ctx;

  const pools = () => state.ofTenant("PublicIPPool", PUBLIC_IP_POOL_OWNER);

  /** The ranges, canonical and in address order; INVALID with every problem at its field. */
  function checkedRanges(name: string, cidrs: readonly string[]): string[] {
    const problems: FieldProblem[] = [];
    const taken = pools()
      .filter((p) => p.name !== name)
      .flatMap((p) => p.spec.cidrs.map((c) => ({ pool: p.name, cidr: parseCidr(c) })));
    const mine: { text: string; cidr: ReturnType<typeof parseCidr> }[] = [];
    cidrs.forEach((text, i) => {
      const read = readPublicRange(text);
      const cidr = read.ok ? read.cidr : undefined;
      const clash = cidr && taken.find((t) => cidrsOverlap(t.cidr, cidr));
      const own = cidr && mine.find((m) => cidrsOverlap(m.cidr, cidr));
      const why = !read.ok
        ? read.message
        : read.cidr.prefix < POOL_RANGE_PREFIX.min || read.cidr.prefix > POOL_RANGE_PREFIX.max
          ? `prefix /${read.cidr.prefix} is outside /${POOL_RANGE_PREFIX.min} to /${POOL_RANGE_PREFIX.max}`
          : clash
            ? `overlaps ${formatCidr(clash.cidr)} of pool "${clash.pool}"`
            : own
              ? `overlaps ${own.text} of this pool`
              : undefined;
      const field = `spec.cidrs[${i}]`;
      if (why !== undefined)
        problems.push({ field, message: `${field}: Invalid value: ${JSON.stringify(text)}: ${why}` });
      else if (cidr) mine.push({ text: formatCidr(cidr), cidr });
    });
    if (problems.length > 0) throw invalidObjectError(KIND, name, problems);
    return mine.sort((a, b) => a.cidr.base - b.cidr.base).map((m) => m.text);
  }

  /** CONFLICT when one of `cidrs` holds allocated addresses. */
  function checkReleasable(pool: string, cidrs: readonly string[], what: string): void {
    for (const c of cidrs) {
      const held = ctx.publicIps.allocatedIn(parseCidr(c));
      if (held.length > 0)
        throw new EngineError(
          "CONFLICT",
          `publicippools.cloud.tenant.io "${pool}": ${what}: range ${c} holds ${held.length} allocated address(es) (${held
            .slice(0, 3)
            .map((h) => h.address)
            .join(", ")}${held.length > 3 ? ", …" : ""}); they must be released first`,
        );
    }
  }

  const view = (p: PublicIpPool): PublicIpPoolView => ({ ...p, usage: ctx.publicIps.usageOf(p, ctx.clock.now()) });

  function publicIpAt(address: string): PublicIp {
    if (typeof address !== "string" || address.length > 15)
      throw new EngineError("INVALID", "address must be an IPv4 address");
    const p = ctx.publicIps.publicIpAt(address);
    if (!p) throw notFound("public IP", address);
    return p;
  }

  return {
    createPublicIpPool: (input: PublicIpPoolInput, opts: DryRunOption = {}): Promise<PublicIpPool> =>
      commandOrDryRun(core, opts.dryRun, () => {
        const parsed = parseInput(publicIpPoolSchema, input ?? {}, "publicIpPool");
        if (parsed.resourceVersion !== undefined)
          throw new EngineError("INVALID", "resourceVersion: Forbidden: may not be set on objects to be created");
        if (state.byName("PublicIPPool", PUBLIC_IP_POOL_OWNER, parsed.name))
          throw new EngineError("CONFLICT", `publicippools.cloud.tenant.io "${parsed.name}" already exists`);
        const cidrs = checkedRanges(parsed.name, parsed.spec.cidrs);
        return state.put({
          kind: "PublicIPPool",
          id: newId(ctx, "PublicIPPool", "pipool"),
          tenantId: PUBLIC_IP_POOL_OWNER,
          name: parsed.name,
          labels: storedMap(parsed.labels),
          annotations: storedMap(parsed.annotations),
          spec: { cidrs },
          ...(parsed.managedFields?.length ? { managedFields: parsed.managedFields } : {}),
          generation: 1,
          createdAt: ctx.clock.now(),
          resourceVersion: 0,
        });
      }),

    replacePublicIpPool: (input: PublicIpPoolInput, opts: DryRunOption = {}): Promise<PublicIpPool> =>
      commandOrDryRun(core, opts.dryRun, () => {
        const parsed = parseInput(publicIpPoolSchema, input ?? {}, "publicIpPool");
        const existing = mustFind(state, "PublicIPPool", PUBLIC_IP_POOL_OWNER, parsed.name);
        checkResourceVersion(existing, parsed.resourceVersion);
        const cidrs = checkedRanges(existing.name, parsed.spec.cidrs);
        checkReleasable(
          existing.name,
          existing.spec.cidrs.filter((c) => !cidrs.includes(c)),
          "cannot remove a range",
        );
        const spec = { cidrs };
        return putReplacement(state, existing, parsed, spec);
      }),

    deletePublicIpPool: (name: string, opts: DryRunOption & { resourceVersion?: number } = {}): Promise<void> =>
      commandOrDryRun(core, opts.dryRun, () => {
        const pool = mustFind(state, "PublicIPPool", PUBLIC_IP_POOL_OWNER, name);
        checkResourceVersion(pool, opts.resourceVersion);
        checkReleasable(pool.name, pool.spec.cidrs, "cannot delete the pool");
        state.remove("PublicIPPool", pool.id);
      }),

    listPublicIpPools: (): PublicIpPoolView[] =>
      pools()
        .sort((a, b) => (a.name < b.name ? -1 : 1))
        .map(view),

    getPublicIpPool: (name: string): PublicIpPoolView =>
      view(mustFind(state, "PublicIPPool", PUBLIC_IP_POOL_OWNER, name)),

    listAllPublicIps(opts: ListOptions & { tenantId?: string } = {}): Page<PublicIp> {
      const all = opts.tenantId === undefined ? [...state.all("PublicIP")] : state.ofTenant("PublicIP", opts.tenantId);
      return paginate(all, (p) => `${p.tenantId}/${p.namespace}/${p.name}`, opts);
    },

    clearDdosBlackhole: (address: string): Promise<PublicIp> =>
      core.command(() => {
        const p = publicIpAt(address);
        applyDdosEvents(ctx, ctx.publicIps.ddos.clear(parseIpv4(p.status.address), ctx.clock.now()));
        return state.get("PublicIP", p.id) as PublicIp;
      }),

    setDdosProtection: (address: string, enabled: boolean): Promise<PublicIp> =>
      core.command(() => {
        const p = publicIpAt(address);
        if (typeof enabled !== "boolean") throw new EngineError("INVALID", "enabled must be true or false");
        const ip = parseIpv4(p.status.address);
        if (enabled) ctx.publicIps.ddos.enable(ip);
        else applyDdosEvents(ctx, ctx.publicIps.ddos.disable(ip, ctx.clock.now()));
        const current = state.get("PublicIP", p.id) as PublicIp;
        const { protectionDisabled: _, ...ddos } = current.status.ddos;
        if (!enabled)
          ctx.events.recordFor(
            current,
            "Warning",
            "DDoSProtectionDisabled",
            `DDoS protection of ${p.status.address} disabled by an operator: it is never black-holed`,
          );
        else if (current.status.ddos.protectionDisabled)
          ctx.events.recordFor(
            current,
            "Normal",
            "DDoSProtectionEnabled",
            `DDoS protection of ${p.status.address} enabled again by an operator`,
          );
        return putDdos(ctx, current, enabled ? ddos : { ...ddos, protectionDisabled: true });
      }),

    listDdosEvents(opts: ListOptions = {}): Page<EngineEvent> {
      const evs = DDOS_EVENT_REASONS.flatMap((r) => state.indexed("Event", EVENTS_BY_REASON, r));
      return paginate(evs, (e) => `${(9e15 - e.lastTime).toString().padStart(16, "0")}:${e.id}`, opts);
    },

    networkUsageByTenant(): TenantNetworkUsage[] {
      const usage = new Map<string, TenantNetworkUsage>();
      const of = (tenantId: string) => {
        let u = usage.get(tenantId);
        if (u === undefined) {
          u = {
            tenantId,
            publicIps: 0,
            boundPublicIps: 0,
            bandwidthMbps: 0,
            rxBitsPerSecond: 0,
            txBitsPerSecond: 0,
            droppedPacketsPerSecond: 0,
            blackholedPublicIps: 0,
          };
          usage.set(tenantId, u);
        }
        return u;
      };
      const now = ctx.clock.now();
      for (const p of state.all("PublicIP")) {
        const u = of(p.tenantId);
        u.publicIps++;
        if (p.status.phase === "Bound") u.boundPublicIps++;
        u.bandwidthMbps += p.spec.bandwidthMbps;
        if (ctx.publicIps.ddos.blackholedUntil(parseIpv4(p.status.address), now) !== undefined) u.blackholedPublicIps++;
      }
      const traffic = ctx.runtime.traffic?.bind(ctx.runtime);
      if (traffic)
        for (const pod of state.all("Pod")) {
          if (pod.nodeId === undefined || pod.podIP === undefined) continue;
          const r = traffic(pod.id);
          if (!r) continue;
          const u = of(pod.tenantId);
          u.rxBitsPerSecond += r.rx.bitsPerSecond;
          u.txBitsPerSecond += r.tx.bitsPerSecond;
          u.droppedPacketsPerSecond += r.rx.droppedPacketsPerSecond + r.tx.droppedPacketsPerSecond;
        }
      return [...usage.values()].sort((a, b) => (a.tenantId < b.tenantId ? -1 : a.tenantId > b.tenantId ? 1 : 0));
    },
  };
}
