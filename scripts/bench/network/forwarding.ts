/**
 * The `forwarding` scenario of the network benchmark: per-tenant forwarding tables against a
 * global table rebuilt as kube-proxy's iptables mode does (server/engine/network/forwarding/
 * iptables-baseline.ts says what is modelled), both measured in this run on the same services.
 *
 * Cluster: TENANTS × 10 services (1,000 services = 100 tenants, 10,000 = 1,000 tenants), each
 * one TCP port with 3 ready endpoints; tenants' ClusterIPs overlap (every tenant allocates from
 * its own 10.96.0.0/16).
 * - Update: add one service (with its endpoints) to a random tenant, then remove it again, and
 *   so on; per-tenant = upsertService + setEndpoints (or removeService + setEndpoints([])) on
 *   that tenant's table; global = the same changes recorded, then sync() (every rule
 *   regenerated, the whole iptables-restore payload written, the table replaced). Each change
 *   timed alone; p50/p99 over the samples.
 * - Lookup: first packets to random services (all hits), average ns per decision over a batch,
 *   in runs per tenant as each tenant's nodes see them (`tenant_lookup_ns_*`; also every tenant
 *   mixed on one host, `tenant_lookup_mixed_ns_*`, the cache-cold case); the global table is
 *   walked whole for each (kube-proxy puts every service on every node). Both designs decide
 *   every sampled packet and must agree (`decisions_agree`).
 * target_met: per-tenant update p99 ≤ 1 ms, and per-tenant update p99 and lookup flat in
 * cluster size (10,000 services cost at most twice 1,000, with 0.02 ms / 20 ns of slack for
 * timer and cache noise).
 */
import { performance } from "node:perf_hooks";
import { createRng, type Rng } from "@/server/engine/queue/rng";
import { parseIpv4 } from "@/server/engine/network/ipv4";
import {
  type BackendSlot,
  ClusterIpAllocator,
  defaultServiceSpec,
  ForwardingTables,
  GlobalIptablesProxy,
  PROTOCOL_CODE,
  type ServiceEndpoint,
  type ServiceLike,
  type TenantForwardingTable,
} from "@/server/engine/network/forwarding";
import { gcNow, log, percentile, round } from "../lib";

const SERVICES_PER_TENANT = 10;
const ENDPOINTS_PER_SERVICE = 3;
/** Packets per tenant run in the by-tenant lookup (the same at every cluster size). */
const RUN_PER_TENANT = 256;
/** Measurement rounds, alternating between the two cluster sizes. */
const ROUNDS = 5;

interface Cluster {
  tenants: string[];
  tables: ForwardingTables;
  tenantTables: TenantForwardingTable[];
  global: GlobalIptablesProxy;
  marks: number[];
  allocators: ClusterIpAllocator[];
  /** ClusterIPs of each tenant's services (the lookup destinations). */
  vips: number[][];
  services: number;
}

function serviceOf(name: string, clusterIp: number): ServiceLike {
  return {
    namespace: "default",
    name,
    spec: defaultServiceSpec({
      clusterIP: `${clusterIp >>> 24}.${(clusterIp >>> 16) & 255}.${(clusterIp >>> 8) & 255}.${clusterIp & 255}`,
      ports: [{ name: "http", port: 80, targetPort: 8080 }],
      selector: { app: name },
    }),
  };
}

function endpointsOf(seed: number): ServiceEndpoint[] {
  return Array.from({ length: ENDPOINTS_PER_SERVICE }, (_, i) => ({
    ip: (parseIpv4("10.0.0.0") + ((seed * ENDPOINTS_PER_SERVICE + i) % 65_000) + 2) >>> 0,
    ready: true,
    serving: true,
    terminating: false,
    ports: [{ name: "http", protocol: "TCP" as const, port: 8080 }],
  }));
}

function buildCluster(tenantCount: number): Cluster {
  const tables = new ForwardingTables();
  const global = new GlobalIptablesProxy();
  const tenants = Array.from({ length: tenantCount }, (_, i) => `tenant-${i}`);
  const c: Cluster = {
    tenants,
    tables,
    tenantTables: tenants.map((t) => tables.forTenant(t)),
    global,
    marks: tenants.map((t) => global.markOf(t)),
    allocators: tenants.map(() => new ClusterIpAllocator()),
    vips: tenants.map(() => []),
    services: 0,
  };
  for (let t = 0; t < tenantCount; t++)
    for (let s = 0; s < SERVICES_PER_TENANT; s++) {
      const vip = (c.allocators[t] as ClusterIpAllocator).allocateNext();
      const svc = serviceOf(`svc-${s}`, vip);
      const eps = endpointsOf(t * SERVICES_PER_TENANT + s);
      (c.tenantTables[t] as TenantForwardingTable).upsertService(svc);
      (c.tenantTables[t] as TenantForwardingTable).setEndpoints(svc, eps);
      global.upsertService(tenants[t] as string, svc);
      global.setEndpoints(tenants[t] as string, svc, eps);
      (c.vips[t] as number[]).push(vip);
      c.services++;
    }
  global.sync();
  return c;
}

const summary = (ms: number[]) => {
  const sorted = [...ms].sort((a, b) => a - b);
  return { p50: round(percentile(sorted, 50), 4), p99: round(percentile(sorted, 99), 4) };
};

interface Extra {
  t: number;
  vip: number;
  svc: ServiceLike;
}

/** One change, timed: add `extra` (with its endpoints) or remove it, in one design. */
function timeChange(c: Cluster, design: "tenant" | "global", extra: Extra, adding: boolean, seed: number): number {
  const tenantId = c.tenants[extra.t] as string;
  const eps = adding ? endpointsOf(seed) : [];
  const start = performance.now();
  if (design === "tenant") {
    const table = c.tenantTables[extra.t] as TenantForwardingTable;
    if (adding) table.upsertService(extra.svc);
    else table.removeService(extra.svc);
    table.setEndpoints(extra.svc, eps);
  } else {
    if (adding) c.global.upsertService(tenantId, extra.svc);
    else c.global.removeService(tenantId, extra.svc);
    c.global.setEndpoints(tenantId, extra.svc, eps);
    c.global.sync();
  }
  return performance.now() - start;
}

/** Adds one service to a random tenant, then removes it, and so on; the first `warmUp` changes are not kept. */
function measureUpdates(c: Cluster, samples: number, warmUp: number, rng: Rng, design: "tenant" | "global"): number[] {
  const times: number[] = [];
  let extra: Extra | undefined;
  for (let i = 0; i < samples + warmUp; i++) {
    const adding = extra === undefined;
    if (extra === undefined) {
      const t = Math.floor(rng.next() * c.tenants.length);
      const vip = (c.allocators[t] as ClusterIpAllocator).allocateNext();
      extra = { t, vip, svc: serviceOf(`extra-${i}`, vip) };
    }
    const ms = timeChange(c, design, extra, adding, i);
    if (i >= warmUp) times.push(ms);
    if (!adding) {
      (c.allocators[extra.t] as ClusterIpAllocator).release(extra.vip);
      extra = undefined;
    }
  }
  // Leave the cluster as it was for the next measurement.
  if (extra !== undefined) {
    timeChange(c, design, extra, false, 0);
    (c.allocators[extra.t] as ClusterIpAllocator).release(extra.vip);
  }
  return times;
}

interface Packets {
  tenant: Int32Array;
  dst: Uint32Array;
  src: Uint32Array;
  srcPort: Uint16Array;
}

/**
 * First packets to random services. `byTenant`: in runs of RUN_PER_TENANT per tenant, every
 * tenant in turn, as the nodes see them (a tenant's pods run only on its own VMs, so a node's datapath
 * serves one tenant's table); otherwise every packet from a random tenant, as if one host
 * served all tenants at once (the cache-cold case).
 */
function packetsFor(c: Cluster, n: number, rng: Rng, byTenant: boolean): Packets {
  const p: Packets = {
    tenant: new Int32Array(n),
    dst: new Uint32Array(n),
    src: new Uint32Array(n),
    srcPort: new Uint16Array(n),
  };
  for (let i = 0; i < n; i++) {
    const t = byTenant ? Math.floor(i / RUN_PER_TENANT) % c.tenants.length : Math.floor(rng.next() * c.tenants.length);
    const vips = c.vips[t] as number[];
    p.tenant[i] = t;
    p.dst[i] = vips[Math.floor(rng.next() * vips.length)] as number;
    p.src[i] = (parseIpv4("10.0.128.0") + Math.floor(rng.next() * 4096)) >>> 0;
    p.srcPort[i] = 1024 + Math.floor(rng.next() * 60_000);
  }
  return p;
}

// One pass each, top-level and monomorphic, so the optimiser sees one call site per design.
function tenantPass(c: Cluster, p: Packets, out: Uint32Array, slot: BackendSlot): void {
  const tcp = PROTOCOL_CODE.TCP;
  for (let i = 0; i < p.dst.length; i++) {
    const table = c.tenantTables[p.tenant[i] as number] as TenantForwardingTable;
    const outcome = table.route(p.dst[i] as number, 80, tcp, p.src[i] as number, p.srcPort[i] as number, slot);
    out[i] = outcome === "forwarded" ? slot.ip : 0;
  }
}

function globalPass(c: Cluster, p: Packets, out: Uint32Array, slot: BackendSlot): void {
  const tcp = PROTOCOL_CODE.TCP;
  for (let i = 0; i < p.dst.length; i++) {
    const mark = c.marks[p.tenant[i] as number] as number;
    const outcome = c.global.route(mark, p.dst[i] as number, 80, tcp, p.src[i] as number, p.srcPort[i] as number, slot);
    out[i] = outcome === "forwarded" ? slot.ip : 0;
  }
}

/** ns per first-packet decision over one timed pass after a warm-up pass; `out` receives each decision (backend ip). */
function measureLookups(c: Cluster, p: Packets, design: "tenant" | "global", out: Uint32Array): number {
  const slot: BackendSlot = { ip: 0, port: 0 };
  const pass = design === "tenant" ? tenantPass : globalPass;
  pass(c, p, out, slot);
  gcNow();
  const start = process.hrtime.bigint();
  pass(c, p, out, slot);
  return Number(process.hrtime.bigint() - start) / p.dst.length;
}

const median = (xs: number[]) => [...xs].sort((a, b) => a - b)[xs.length >> 1] as number;

/**
 * Both cluster sizes are built first and every measurement alternates between them round by
 * round, so the shared machine's noise falls on both sizes alike and "flat" compares like with like.
 */
export async function run(opts: { quick: boolean }): Promise<Record<string, unknown>[]> {
  const rng = createRng(14);
  const sizes = [100, 1000] as const; // tenants: 1,000 and 10,000 services
  const tenantSamples = (opts.quick ? 2_000 : 20_000) / ROUNDS;
  const globalSamples = { 100: opts.quick ? 8 : 40, 1000: opts.quick ? 2 : 20 } as const; // per round
  const tenantPackets = opts.quick ? 100_000 : 500_000;
  const globalPackets = { 100: opts.quick ? 10_000 : 50_000, 1000: opts.quick ? 1_000 : 10_000 } as const;
  const figures: Record<string, number | null> = {};
  const clusters = new Map<number, Cluster>();
  for (const tenants of sizes) {
    log(`forwarding: building ${tenants * SERVICES_PER_TENANT} services in ${tenants} tenants`);
    const c = buildCluster(tenants);
    const restore = c.global.sync();
    figures[`global_restore_rules_${c.services}`] = restore.rules;
    figures[`global_restore_bytes_${c.services}`] = restore.bytes;
    clusters.set(tenants, c);
  }
  const updates = new Map<string, number[]>();
  const lookups = new Map<string, number[]>();
  const push = (m: Map<string, number[]>, k: string, v: number[]) => m.set(k, [...(m.get(k) ?? []), ...v]);
  const packets = new Map(
    sizes.map((t) => {
      const c = clusters.get(t) as Cluster;
      // Global: random tenants, since where a tenant's rules sit in the one list decides its walk
      // and a few tenants' runs would measure those tenants' positions, not the table.
      return [
        t,
        {
          byTenant: packetsFor(c, tenantPackets, rng, true),
          mixed: packetsFor(c, tenantPackets, rng, false),
          global: packetsFor(c, globalPackets[t], rng, false),
        },
      ];
    }),
  );
  let agree = true;
  for (let r = 0; r < ROUNDS; r++) {
    log(`forwarding: round ${r + 1} of ${ROUNDS}`);
    for (const t of sizes) {
      const c = clusters.get(t) as Cluster;
      const pk = packets.get(t) as NonNullable<ReturnType<typeof packets.get>>;
      gcNow();
      push(updates, `tenant_${c.services}`, measureUpdates(c, tenantSamples, 4, rng, "tenant"));
      gcNow();
      push(updates, `global_${c.services}`, measureUpdates(c, globalSamples[t], 1, rng, "global"));
      push(lookups, `tenant_${c.services}`, [measureLookups(c, pk.byTenant, "tenant", new Uint32Array(tenantPackets))]);
      push(lookups, `tenant_mixed_${c.services}`, [
        measureLookups(c, pk.mixed, "tenant", new Uint32Array(tenantPackets)),
      ]);
      const fromGlobal = new Uint32Array(globalPackets[t]);
      const fromTenant = new Uint32Array(globalPackets[t]);
      push(lookups, `global_${c.services}`, [measureLookups(c, pk.global, "global", fromGlobal)]);
      measureLookups(c, pk.global, "tenant", fromTenant);
      for (let i = 0; i < fromGlobal.length; i++)
        if (fromGlobal[i] !== fromTenant[i] || fromTenant[i] === 0) agree = false;
    }
  }
  for (const [k, ms] of updates) {
    const { p50, p99 } = summary(ms);
    const [design, services] = k.split("_") as [string, string];
    figures[`${design}_update_p50_ms_${services}`] = p50;
    figures[`${design}_update_p99_ms_${services}`] = p99;
  }
  for (const [k, ns] of lookups) {
    const at = k.lastIndexOf("_");
    figures[`${k.slice(0, at)}_lookup_ns_${k.slice(at + 1)}`] = round(median(ns), 1);
  }
  for (const services of [1_000, 10_000])
    log(
      `forwarding: ${services} services: update p99 tenant ${figures[`tenant_update_p99_ms_${services}`]} ms, global ${figures[`global_update_p99_ms_${services}`]} ms; lookup tenant ${figures[`tenant_lookup_ns_${services}`]} ns (all tenants mixed on one host ${figures[`tenant_mixed_lookup_ns_${services}`]} ns), global ${figures[`global_lookup_ns_${services}`]} ns`,
    );
  const f = (k: string) => figures[k] ?? Number.NaN;
  const flat = (small: number, large: number, slack: number) => large <= Math.max(2 * small, small + slack);
  const line = {
    scenario: "forwarding",
    services: 10_000,
    tenants: 1_000,
    endpoints_per_service: ENDPOINTS_PER_SERVICE,
    tenant_update_p50_ms: figures.tenant_update_p50_ms_10000,
    tenant_update_p99_ms: figures.tenant_update_p99_ms_10000,
    global_update_p50_ms: figures.global_update_p50_ms_10000,
    global_update_p99_ms: figures.global_update_p99_ms_10000,
    tenant_lookup_ns_1000: figures.tenant_lookup_ns_1000,
    tenant_lookup_ns_10000: figures.tenant_lookup_ns_10000,
    global_lookup_ns_1000: figures.global_lookup_ns_1000,
    global_lookup_ns_10000: figures.global_lookup_ns_10000,
    tenant_lookup_mixed_ns_1000: figures.tenant_mixed_lookup_ns_1000,
    tenant_lookup_mixed_ns_10000: figures.tenant_mixed_lookup_ns_10000,
    tenant_update_p50_ms_1000: figures.tenant_update_p50_ms_1000,
    tenant_update_p99_ms_1000: figures.tenant_update_p99_ms_1000,
    global_update_p50_ms_1000: figures.global_update_p50_ms_1000,
    global_update_p99_ms_1000: figures.global_update_p99_ms_1000,
    global_restore_rules_10000: figures.global_restore_rules_10000,
    global_restore_bytes_10000: figures.global_restore_bytes_10000,
    global_update_growth: round(f("global_update_p50_ms_10000") / f("global_update_p50_ms_1000"), 1),
    global_lookup_growth: round(f("global_lookup_ns_10000") / f("global_lookup_ns_1000"), 1),
    decisions_agree: agree,
    quick: opts.quick,
    target_met:
      agree &&
      f("tenant_update_p99_ms_10000") <= 1 &&
      flat(f("tenant_update_p99_ms_1000"), f("tenant_update_p99_ms_10000"), 0.02) &&
      flat(f("tenant_lookup_ns_1000"), f("tenant_lookup_ns_10000"), 20),
  };
  return [line];
}
