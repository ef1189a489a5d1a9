/**
 * The `ipam` scenario of the network benchmark: address allocation and release rates of the
 * subnet allocator and the public IP pool (server/engine/network/ipam/), on the engine's
 * virtual time (a number of ms), single-threaded, owners' ids made before timing.
 * - `subnet`: one /16 subnet (65,533 usable) filled to 90 % (`alloc_per_s` = the fill), then
 *   churn in batches of 1,000 (fewer in --quick): release random live pods (`release_per_s`),
 *   advance the clock 10 s, allocate as many new pods (`churn_alloc_per_s`); the 30 s hold
 *   keeps ≤ 3 batches held, inside the 10 % free, so no allocation may be refused (`refusals` = 0). Then static
 *   requests for half the addresses of a fresh subnet in random order (`static_per_s`), and
 *   a rebuild from the 90 % as a restart reads pods' status.podIP (`restore_ms`).
 * - `public-pool`: 198.18.0.0/15 (RFC 2544's benchmarking range) as two /16 ranges, filled to
 *   90 % across 1,000 tenants, churned the same way with its 5 min hold (60 s per batch).
 * - `seed`: 1,000 tenants' default /18 subnets, 150 pods each through SubnetIpam.assign
 *   (IP and MAC), the engine's seed shape: `assign_per_s` against the 2,400 pods/s the engine
 *   seed must keep with every pod addressed.
 * Rates are medians over chunks of ≤ 1,000 operations (churn: per batch), so a chunk preempted
 * on a shared machine does not move them. Bytes: `fixed_bytes` is an allocator's bitmaps and
 * hold ring (exact; typed arrays live outside the JS heap); `heap_bytes_per_owner` the measured
 * heap growth per live owner (the owner maps), after gc when --expose-gc is on.
 * `--quick`: a /20 subnet, two /20 pool ranges, 100 tenants.
 */
import { performance } from "node:perf_hooks";
import {
  formatProblems,
  PublicIpPool,
  SubnetAllocator,
  SubnetIpam,
  type SubnetPlan,
  defaultSubnetInput,
  validateSubnetPlan,
  validateVpcPlan,
} from "@/server/engine/network/ipam";
import { formatIpv4 } from "@/server/engine/network/ipv4";
import { createRng, type Rng } from "@/server/engine/queue/rng";
import { heapAfterGc, log, round } from "../lib";

/** Churn batch: 1,000, or less when the free 10 % could not take the batches still on hold. */
const batchFor = (free: number, batchesHeld: number) => Math.min(1_000, Math.floor(free / (batchesHeld + 1)));

function subnetPlan(vpcCidr: string, cidrBlock?: string): SubnetPlan {
  const vpc = validateVpcPlan({ cidrBlock: vpcCidr });
  if (!vpc.ok) throw new Error(formatProblems(vpc.problems));
  const input = cidrBlock ? { name: "bench", cidrBlock } : defaultSubnetInput(vpc.plan);
  const s = validateSubnetPlan(input, vpc.plan, []);
  if (!s.ok) throw new Error(formatProblems(s.problems));
  return s.plan;
}

/** The median of per-chunk rates: on a shared machine one preempted chunk must not move the figure. */
function medianRate(rates: number[]): number | null {
  const sorted = [...rates].sort((a, b) => a - b);
  return round(sorted[sorted.length >> 1] ?? Number.NaN, 0);
}

/** Runs fn(i) for i in [0, n) in chunks of 1,000, returning the median ops/s over the chunks. */
function chunkedRate(n: number, fn: (i: number) => void): number | null {
  const rates: number[] = [];
  for (let start = 0; start < n; start += 1_000) {
    const end = Math.min(n, start + 1_000);
    const t = performance.now();
    for (let i = start; i < end; i++) fn(i);
    rates.push((end - start) / ((performance.now() - t) / 1000));
  }
  return medianRate(rates);
}
const names = (prefix: string, n: number) => Array.from({ length: n }, (_, i) => `${prefix}-${i}`);

function shuffle(a: Uint32Array, rng: Rng): Uint32Array {
  for (let i = a.length - 1; i > 0; i--) {
    const j = Math.floor(rng.next() * (i + 1));
    const t = a[i] as number;
    a[i] = a[j] as number;
    a[j] = t;
  }
  return a;
}

/** Churn on live owner indices: release `batch` random ones, advance, allocate as many new ones. */
function churn(
  batches: number,
  batch: number,
  live: Uint32Array,
  firstNew: number,
  stepMs: number,
  start: number,
  rng: Rng,
  release: (i: number, now: number) => void,
  allocate: (i: number, now: number) => boolean,
) {
  const releaseRates: number[] = [];
  const allocRates: number[] = [];
  let refusals = 0;
  let now = start;
  let next = firstNew;
  const slots = new Uint32Array(batch);
  const drawn = new Uint8Array(live.length);
  for (let b = 0; b < batches; b++) {
    // Distinct slots, so every released owner is replaced by exactly one new one.
    for (let j = 0; j < batch; j++) {
      let k = Math.floor(rng.next() * live.length);
      while (drawn[k] === 1) k = Math.floor(rng.next() * live.length);
      drawn[k] = 1;
      slots[j] = k;
    }
    for (let j = 0; j < batch; j++) drawn[slots[j] as number] = 0;
    let t = performance.now();
    for (let j = 0; j < batch; j++) release(live[slots[j] as number] as number, now);
    releaseRates.push(batch / ((performance.now() - t) / 1000));
    now += stepMs;
    t = performance.now();
    for (let j = 0; j < batch; j++) {
      if (!allocate(next, now)) refusals++;
      live[slots[j] as number] = next++;
    }
    allocRates.push(batch / ((performance.now() - t) / 1000));
  }
  return { releaseRate: medianRate(releaseRates), allocRate: medianRate(allocRates), refusals, batch, now };
}

function subnetCase(quick: boolean, rng: Rng): Record<string, unknown> {
  const plan = subnetPlan("10.0.0.0/16", quick ? "10.0.0.0/20" : "10.0.0.0/16");
  const fill = Math.floor(plan.usable * 0.9);
  const batches = quick ? 50 : 100;
  const batch = batchFor(plan.usable - fill, 3);
  const owners = names("pod", fill + batches * batch);
  log(`ipam: subnet ${formatIpv4(plan.cidr.base)}/${plan.cidr.prefix}: filling ${fill} of ${plan.usable}`);

  const heapBefore = heapAfterGc();
  const a = new SubnetAllocator(plan);
  const fillRate = chunkedRate(fill, (i) => {
    if (!a.allocate(owners[i] as string, 0).ok) throw new Error("fill refused");
  });
  const heapPerOwner = (heapAfterGc() - heapBefore) / fill;

  const live = Uint32Array.from({ length: fill }, (_, i) => i);
  const c = churn(
    batches,
    batch,
    live,
    fill,
    10_000,
    0,
    rng,
    (i, now) => void a.release(owners[i] as string, now),
    (i, now) => a.allocate(owners[i] as string, now).ok,
  );
  const usage = a.usage(c.now);

  const fresh = new SubnetAllocator(plan);
  const offsets = shuffle(
    Uint32Array.from({ length: plan.cidr.size - 3 }, (_, i) => plan.cidr.base + 2 + i),
    rng,
  ).subarray(0, Math.floor(plan.usable / 2));
  let staticRefused = 0;
  const staticRate = chunkedRate(offsets.length, (i) => {
    if (!fresh.allocateStatic(owners[i] as string, offsets[i] as number, 0).ok) staticRefused++;
  });

  const records = [...a.records()].map((r) => ({ owner: r.owner, ip: formatIpv4(r.ip) }));
  const t = performance.now();
  const restored = SubnetAllocator.restore(plan, records, { now: c.now, holds: a.holds(c.now) });
  const restoreMs = performance.now() - t;

  const line = {
    scenario: "ipam",
    case: "subnet",
    cidr: `${formatIpv4(plan.cidr.base)}/${plan.cidr.prefix}`,
    usable: plan.usable,
    fill_pct: 90,
    churn_batch: c.batch,
    alloc_per_s: fillRate,
    churn_alloc_per_s: c.allocRate,
    release_per_s: c.releaseRate,
    static_per_s: staticRate,
    restore_ms: round(restoreMs, 1),
    restore_records: records.length,
    refusals: c.refusals + staticRefused,
    used: usage.used,
    on_hold: usage.onHold,
    free: usage.free,
    consistent:
      usage.used === fill && restored.problems.length === 0 && restored.allocator.usage(c.now).free === usage.free,
    fixed_bytes: a.fixedBytes,
    heap_bytes_per_owner: round(heapPerOwner, 0),
    hold_ms: a.holdMs,
    quick,
  };
  log(`ipam: subnet: ${line.alloc_per_s} alloc/s, ${line.release_per_s} release/s, ${line.static_per_s} static/s`);
  return line;
}

function poolCase(quick: boolean, rng: Rng): Record<string, unknown> {
  const ranges = quick ? ["198.18.0.0/20", "198.19.0.0/20"] : ["198.18.0.0/16", "198.19.0.0/16"];
  const tenants = names("tenant", quick ? 100 : 1_000);
  const heapBefore = heapAfterGc();
  const pool = new PublicIpPool();
  for (const r of ranges) if (!pool.addRange(r, 0).ok) throw new Error(`range ${r} refused`);
  const usable = pool.usage(0).usable;
  const fill = Math.floor(usable * 0.9);
  const batches = quick ? 50 : 100;
  const batch = batchFor(usable - fill, 5);
  const owners = names("eip", fill + batches * batch);
  const tenantOf = (i: number) => tenants[i % tenants.length] as string;
  log(`ipam: public pool ${ranges.join(" + ")}: filling ${fill} of ${usable} for ${tenants.length} tenants`);
  const fillRate = chunkedRate(fill, (i) => {
    if (!pool.allocate(owners[i] as string, tenantOf(i), 0).ok) throw new Error("fill refused");
  });
  const heapPerOwner = (heapAfterGc() - heapBefore) / fill;

  const live = Uint32Array.from({ length: fill }, (_, i) => i);
  const c = churn(
    batches,
    batch,
    live,
    fill,
    60_000,
    0,
    rng,
    (i, now) => void pool.release(owners[i] as string, now),
    (i, now) => pool.allocate(owners[i] as string, tenantOf(i), now).ok,
  );
  const usage = pool.usage(c.now);
  let counted = 0;
  for (const tenant of tenants) counted += pool.countForTenant(tenant);

  const fresh = new PublicIpPool();
  for (const r of ranges) fresh.addRange(r, 0);
  const addresses = shuffle(Uint32Array.from([...pool.records()].map((r) => r.ip)), rng).subarray(
    0,
    Math.floor(fill / 2),
  );
  let staticRefused = 0;
  const staticRate = chunkedRate(addresses.length, (i) => {
    if (!fresh.allocate(owners[i] as string, tenantOf(i), 0, addresses[i] as number).ok) staticRefused++;
  });

  const records = [...pool.records()].map((r) => ({ owner: r.owner, tenantId: r.tenantId, ip: formatIpv4(r.ip) }));
  const t = performance.now();
  const restored = PublicIpPool.restore(ranges, records, { now: c.now, holds: pool.holds(c.now) });
  const restoreMs = performance.now() - t;

  const line = {
    scenario: "ipam",
    case: "public-pool",
    ranges,
    tenants: tenants.length,
    usable,
    fill_pct: 90,
    churn_batch: c.batch,
    alloc_per_s: fillRate,
    churn_alloc_per_s: c.allocRate,
    release_per_s: c.releaseRate,
    static_per_s: staticRate,
    restore_ms: round(restoreMs, 1),
    refusals: c.refusals + staticRefused,
    used: usage.used,
    on_hold: usage.onHold,
    free: usage.free,
    consistent:
      usage.used === fill &&
      counted === fill &&
      restored.problems.length === 0 &&
      restored.pool.usage(c.now).free === usage.free,
    fixed_bytes: pool.fixedBytes,
    heap_bytes_per_owner: round(heapPerOwner, 0),
    hold_ms: pool.holdMs,
    quick,
  };
  log(`ipam: public pool: ${line.alloc_per_s} alloc/s, ${line.release_per_s} release/s, ${line.static_per_s} static/s`);
  return line;
}

function seedCase(quick: boolean): Record<string, unknown> {
  const tenants = quick ? 100 : 1_000;
  const podsPerTenant = 150;
  const plan = subnetPlan("10.0.0.0/16");
  const owners = names("pod", tenants * podsPerTenant);
  log(`ipam: seed: ${tenants} tenants × ${podsPerTenant} pods on ${formatIpv4(plan.cidr.base)}/${plan.cidr.prefix}`);
  const heapBefore = heapAfterGc();
  const ipams = Array.from({ length: tenants }, () => SubnetIpam.create(plan));
  const heapPerSubnet = (heapAfterGc() - heapBefore) / tenants;
  let refusals = 0;
  // Pods arrive round-robin over tenants, as the seed creates them: pod i is tenant i % tenants'.
  const rate = chunkedRate(tenants * podsPerTenant, (i) => {
    const tenant = i % tenants;
    const pod = Math.floor(i / tenants);
    if (!(ipams[tenant] as SubnetIpam).assign(owners[tenant * podsPerTenant + pod] as string, 0).ok) refusals++;
  });
  const line = {
    scenario: "ipam",
    case: "seed",
    tenants,
    pods: tenants * podsPerTenant,
    subnet: `${formatIpv4(plan.cidr.base)}/${plan.cidr.prefix}`,
    assign_per_s: rate,
    engine_seed_target_pods_per_s: 2_400,
    refusals,
    fixed_bytes_per_subnet: (ipams[0] as SubnetIpam).allocator.fixedBytes,
    heap_bytes_per_empty_subnet: round(heapPerSubnet, 0),
    quick,
  };
  log(`ipam: seed: ${line.assign_per_s} assignments/s (IP + MAC)`);
  return line;
}

export async function run(opts: { quick: boolean }): Promise<Record<string, unknown>[]> {
  const rng = createRng(14);
  return [subnetCase(opts.quick, rng), poolCase(opts.quick, rng), seedCase(opts.quick)];
}
