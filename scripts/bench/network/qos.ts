/**
 * bench:network `qos` — the bandwidth sharing model (server/engine/network/qos) under load.
 *
 * 1. One 8c16g node (10 Gbit/s, 2.4 Mpps per direction) with 20 pods of mixed guarantees
 *    (Σ 8 Gbit/s, admitted by the real admission check) and maxima, for 60 one-second
 *    intervals of seeded, contended demand, some pods idle below their guarantee. Every
 *    interval: each pod gets ≥ min(demand, guarantee) (within 1 %), never more than its
 *    maximum, Σ ≤ the NIC, and the idle capacity is lent (the NIC is full whenever a pod is
 *    short of its demand and maximum). One pod floods 40-byte packets at 3 Mpps with a
 *    100k packets/s cap: it must stop at its cap, be charged the 64-byte MPU, and leave the
 *    others' guarantees whole. Same-run baseline: the same flood without its cap overloads
 *    the host's packet budget, and the other pods lose their guarantees.
 * 2. The model's cost per simulated second for 30,000 pods over 1,000 nodes (both directions,
 *    one solve per NIC direction per second, drops and volumes accumulated per pod as
 *    monitoring would read them). --quick runs fewer simulated seconds; the 20-pod check
 *    stays full.
 * 3. The whole traffic model (server/engine/runtime/traffic) per simulated second for 30,000
 *    pods over 1,000 nodes and 100 tenants, as the simulated runtime runs it: every pod sends
 *    two flows from SIM_TRAFFIC (one to a pod of its tenant, one to the internet), each decided
 *    by decideFlow against MemorySecurityState's tables (two security groups per tenant, one
 *    deny rule, a blocklist entry), then both NIC directions shaped per node
 *    (`model_cost_ms_per_sim_s_30000_pods`; the NicShare-only figure above is its shaping part).
 */
import { performance } from "node:perf_hooks";
import { createRng, type Rng } from "@/server/engine/queue/rng";
import { MACHINE_TYPES } from "@/server/engine/kinds/types";
import {
  committedGuarantees,
  guaranteeFitProblems,
  NicShare,
  nicCapacityOf,
  parsePodQos,
  QOS_ANNOTATIONS as A,
  type DirectionQos,
  type NicCapacity,
  type PodQos,
} from "@/server/engine/network/qos";
import { log } from "../lib";
import { type SecurityGroupRule, withSecurityGroupDefaults } from "@/server/engine/network/security/security-group";
import { MemorySecurityState } from "@/server/engine/network/security/memory-security-state";
import { parseSimTraffic } from "@/server/engine/runtime/traffic/flow-spec";
import { TrafficModel, type TrafficPodInput } from "@/server/engine/runtime/traffic/traffic-model";
import { NO_SERVICES } from "@/server/engine/runtime/traffic/traffic-network";

const round = (n: number, d = 3) => Math.round(n * 10 ** d) / 10 ** d;
const M = 1e6;
const G = 1e9;

interface BenchPod {
  name: string;
  qos: DirectionQos;
  /** Mean offered bits/s and how much it swings per interval (0..1). */
  offered: number;
  swing: number;
  packetBytes: number;
}

/**
 * 20 pods: 13 guaranteed 100M..1.5G, some with a maximum, six best-effort, and one pod
 * guaranteed 1G that floods 40-byte packets (capped at 100k packets/s unless `floodCap` is
 * false). Σ guarantees 8 Gbit/s.
 */
function twentyPods(floodCap: boolean): BenchPod[] {
  const pods: BenchPod[] = [];
  const guarantees = [1.5, 1.2, 1, 0.8, 0.6, 0.5, 0.4, 0.3, 0.2, 0.2, 0.1, 0.1, 0.1].map((g) => Math.round(g * G));
  guarantees.forEach((g, i) => {
    const annotations: Record<string, string> = { [A.egressGuarantee]: String(g) };
    if (i % 3 === 1) annotations[A.egressMax] = String(Math.min(4.29 * G, g * 2));
    pods.push({
      name: `guaranteed-${i}`,
      qos: parsePodQos(annotations).egress,
      // Every fourth pod is quiet, well under its guarantee: the idle capacity others borrow.
      offered: i % 4 === 3 ? g * 0.3 : g * 2.5,
      swing: 0.5,
      packetBytes: 1500,
    });
  });
  for (let i = 0; i < 6; i++) {
    pods.push({
      name: `best-effort-${i}`,
      qos: parsePodQos(i === 0 ? { [A.egressMax]: "300M" } : {}).egress,
      offered: 2 * G,
      swing: 0.8,
      packetBytes: i === 5 ? 9000 : 1500,
    });
  }
  const flood: Record<string, string> = { [A.egressGuarantee]: "1G" };
  if (floodCap) flood[A.egressPacketRate] = "100k";
  pods.push({ name: "flood", qos: parsePodQos(flood).egress, offered: 3e6 * 40 * 8, swing: 0, packetBytes: 40 });
  return pods;
}

interface CheckResult {
  guaranteesMet: boolean;
  minGuaranteeRatio: number;
  totalWithinNic: boolean;
  maxTotalBits: number;
  idleLent: boolean;
  minLentShare: number;
  withinMaxima: boolean;
  hostOverloaded: boolean;
  flood: { pps: number; ppsCapDrops: number; chargedBits: number; bits: number };
}

/** Runs `seconds` intervals of seeded demand and checks the guarantees every interval. */
function runNode(pods: BenchPod[], nic: NicCapacity, seconds: number, rng: Rng): CheckResult {
  const share = new NicShare(pods.length);
  const r: CheckResult = {
    guaranteesMet: true,
    minGuaranteeRatio: Number.POSITIVE_INFINITY,
    totalWithinNic: true,
    maxTotalBits: 0,
    idleLent: true,
    minLentShare: Number.POSITIVE_INFINITY,
    withinMaxima: true,
    hostOverloaded: false,
    flood: { pps: 0, ppsCapDrops: 0, chargedBits: 0, bits: 0 },
  };
  const mpuBits = (p: BenchPod) => Math.max(p.packetBytes, nic.mpuBytes) * 8;
  for (let s = 0; s < seconds; s++) {
    pods.forEach((p, i) => {
      share.setPod(i, p.offered * (1 - p.swing + 2 * p.swing * rng.next()), p.packetBytes, p.qos);
    });
    const totals = share.solve(pods.length, nic);
    r.hostOverloaded ||= totals.hostOverloaded;
    r.maxTotalBits = Math.max(r.maxTotalBits, totals.chargedBitsPerSecond);
    if (totals.chargedBitsPerSecond > nic.bitsPerSecond * (1 + 1e-9)) r.totalWithinNic = false;
    let baseSum = 0;
    let wanting = false;
    let lent = 0;
    pods.forEach((p, i) => {
      const offeredPps = (share.offeredBits[i] as number) / (p.packetBytes * 8);
      const demand = Math.min(offeredPps, p.qos.packetRateCap ?? Number.POSITIVE_INFINITY) * mpuBits(p);
      const got = share.chargedBits[i] as number;
      const owed = Math.min(demand, p.qos.guaranteeBitsPerSecond);
      baseSum += owed;
      lent += got - owed;
      if (owed > 0) r.minGuaranteeRatio = Math.min(r.minGuaranteeRatio, got / owed);
      if (got < owed * 0.99) r.guaranteesMet = false;
      const max = Math.min(p.qos.maxBitsPerSecond ?? Number.POSITIVE_INFINITY, nic.bitsPerSecond);
      if (got > max * (1 + 1e-9)) r.withinMaxima = false;
      if (got < Math.min(demand, max) * (1 - 1e-6)) wanting = true;
    });
    // Idle capacity was lent: with someone still wanting more, nothing of the NIC is left over.
    const idle = nic.bitsPerSecond - baseSum;
    if (wanting && idle > 0) {
      r.minLentShare = Math.min(r.minLentShare, lent / idle);
      if (lent < idle * 0.99) r.idleLent = false;
    }
    const f = pods.length - 1;
    r.flood = {
      pps: share.packets[f] as number,
      ppsCapDrops: share.dropPpsCap[f] as number,
      chargedBits: share.chargedBits[f] as number,
      bits: share.bits[f] as number,
    };
  }
  return r;
}

/** ms of model work per simulated second for `pods` pods over `nodes` nodes, both directions. */
function modelCost(
  podCount: number,
  nodeCount: number,
  seconds: number,
): { msPerSimS: number; solves: number; meanDeliveredBits: number; meanDroppedPps: number } {
  const rng = createRng(30_000);
  const nic = nicCapacityOf(MACHINE_TYPES["8c16g"]);
  const perNode = Math.ceil(podCount / nodeCount);
  // A few templates, as deployments share them (one parse each, as cachedPodQos does).
  const templates = (
    [
      { [A.egressGuarantee]: "100M", [A.ingressGuarantee]: "100M", [A.egressMax]: "1G" },
      { [A.egressGuarantee]: "200M", [A.egressPacketRate]: "50k" },
      { [A.ingressMax]: "500M" },
      {},
    ] as Record<string, string>[]
  ).map((annotations) => ({ annotations, qos: parsePodQos(annotations) }));
  const qosOf: PodQos[] = [];
  const offered = new Float64Array(podCount * 2);
  const phase = new Float64Array(podCount);
  const size = new Float64Array(podCount);
  for (let i = 0; i < podCount; i++) {
    qosOf.push((templates[i % templates.length] as (typeof templates)[number]).qos);
    offered[2 * i] = (0.05 + rng.next()) * 600 * M;
    offered[2 * i + 1] = (0.05 + rng.next()) * 600 * M;
    phase[i] = rng.next() * 2 * Math.PI;
    size[i] = rng.next() < 0.1 ? 64 : 1400;
  }
  // Every node holds the same template mix; it must be admissible, as the scheduler would ensure.
  const onNode = Array.from(
    { length: perNode },
    (_, k) => templates[k % templates.length] as (typeof templates)[number],
  );
  const committed = committedGuarantees(onNode);
  if (committed.egress > nic.bitsPerSecond || committed.ingress > nic.bitsPerSecond) {
    throw new Error("bench mix oversubscribes a node");
  }
  const delivered = new Float64Array(podCount * 2);
  const dropped = new Float64Array(podCount * 2);
  const share = new NicShare(perNode);
  let solves = 0;
  let t0 = performance.now();
  // Second 0 warms the JIT and is not counted.
  for (let s = -1; s < seconds; s++) {
    if (s === 0) {
      t0 = performance.now();
      solves = 0;
    }
    for (let n = 0; n < nodeCount; n++) {
      const first = n * perNode;
      const count = Math.min(perNode, podCount - first);
      for (let d = 0; d < 2; d++) {
        for (let k = 0; k < count; k++) {
          const i = first + k;
          const q = qosOf[i] as PodQos;
          const wave = 1 + 0.5 * Math.sin(s / 10 + (phase[i] as number));
          share.setPod(k, (offered[2 * i + d] as number) * wave, size[i] as number, d === 0 ? q.ingress : q.egress);
        }
        share.solve(count, nic);
        solves++;
        for (let k = 0; k < count; k++) {
          const j = 2 * (first + k) + d;
          delivered[j] = (delivered[j] as number) + (share.bits[k] as number);
          dropped[j] =
            (dropped[j] as number) +
            (share.dropPpsCap[k] as number) +
            (share.dropRateLimit[k] as number) +
            (share.dropCongestion[k] as number) +
            (share.dropHost[k] as number);
        }
      }
    }
  }
  const ms = performance.now() - t0;
  let bits = 0;
  let drops = 0;
  for (let j = 0; j < delivered.length; j++) {
    bits += delivered[j] as number;
    drops += dropped[j] as number;
  }
  const pps = (seconds + 1) * delivered.length;
  return { msPerSimS: ms / seconds, solves, meanDeliveredBits: bits / pps, meanDroppedPps: drops / pps };
}

const rule = (r: Partial<SecurityGroupRule>): SecurityGroupRule => ({
  protocol: "tcp",
  remoteAddress: "0.0.0.0/0",
  action: "allow",
  priority: 100,
  ...r,
});
const group = (name: string, g: Omit<Parameters<typeof withSecurityGroupDefaults>[0], "name">) =>
  withSecurityGroupDefaults({ name, ...g });

/** ms per simulated second of the whole traffic model (decision + shaping) for `podCount` pods. */
function trafficModelCost(podCount: number, nodeCount: number, tenantCount: number, seconds: number) {
  const security = new MemorySecurityState();
  security.setBlocklist([{ id: "no-smtp", protocol: "tcp", portRangeMin: 25, portRangeMax: 25, reason: "spam" }]);
  const perTenant = Math.ceil(podCount / tenantCount);
  const ipOf = (k: number) => `10.0.${k >> 8}.${(k & 255) + 0}`;
  const templates = [
    { [A.egressGuarantee]: "100M", [A.ingressGuarantee]: "100M", [A.egressMax]: "1G" },
    { [A.egressGuarantee]: "200M", [A.egressPacketRate]: "50k" },
    { [A.ingressMax]: "500M" },
    {},
  ] as Record<string, string>[];
  const pods: TrafficPodInput[] = [];
  for (let t = 0; t < tenantCount; t++) {
    const tenantId = `tenant-${t}`;
    security.addTenant(tenantId, "10.0.0.0/16", `203.0.113.${t % 250}`);
    security.setGroups(tenantId, [
      group("web", {
        podSelector: { matchLabels: { tier: "web" } },
        ingressRules: [rule({ portRangeMin: 80, portRangeMax: 80 }), rule({ portRangeMin: 8080, portRangeMax: 8080 })],
        egressRules: [
          rule({ protocol: "all" }),
          rule({ action: "deny", portRangeMin: 6379, portRangeMax: 6379, priority: 5 }),
        ],
      }),
      group("db", {
        podSelector: { matchLabels: { tier: "db" } },
        ingressRules: [rule({ portRangeMin: 5432, portRangeMax: 5432 })],
      }),
    ]);
    for (let k = 0; k < perTenant && pods.length < podCount; k++) {
      const tier = k % 3 === 2 ? "db" : "web";
      const name = `pod-${k}`;
      security.addPod(tenantId, {
        namespace: "default",
        podName: name,
        ip: ipOf(k + 10),
        mac: `0a:58:00:00:${((k >> 8) & 255).toString(16).padStart(2, "0")}:${(k & 255).toString(16).padStart(2, "0")}`,
        labels: { tier },
      });
      const peer = `pod-${(k + 1) % perTenant}`;
      const port = [80, 5432, 6379, 8080][k % 4];
      const { flows } = parseSimTraffic(
        `to=pod/${peer};port=${port};rate=${20 + (k % 7) * 10}M;size=1400|to=internet;port=${k % 50 === 0 ? 25 : 443};rate=5M;size=${k % 10 === 0 ? 64 : 1200}`,
      );
      pods.push({
        id: `${tenantId}/${name}`,
        tenantId,
        namespace: "default",
        name,
        nodeId: `node-${pods.length % nodeCount}`,
        annotations: templates[k % templates.length] as Record<string, string>,
        podIP: ipOf(k + 10),
        containers: [{ name: "app", flows }],
      });
    }
  }
  const nic = nicCapacityOf(MACHINE_TYPES["8c16g"]);
  const nics = new Map(Array.from({ length: nodeCount }, (_, n) => [`node-${n}`, nic] as const));
  const model = new TrafficModel({ security, services: NO_SERVICES });
  let delivered = 0;
  let dropped = 0;
  let t0 = performance.now();
  for (let s = -1; s < seconds; s++) {
    if (s === 0) t0 = performance.now(); // second -1 warms the JIT
    const reports = model.step(s * 1000, nics, pods);
    if (s === seconds - 1)
      for (const r of reports.values()) {
        delivered += r.tx.bitsPerSecond;
        for (const d of r.drops) dropped += d.packetsPerSecond;
      }
  }
  const ms = performance.now() - t0;
  return { msPerSimS: ms / seconds, flows: pods.length * 2, deliveredGbps: delivered / G, droppedPps: dropped };
}

export async function run(opts: { quick: boolean }): Promise<Record<string, unknown>[]> {
  const nic = nicCapacityOf(MACHINE_TYPES["8c16g"]);
  const pods = twentyPods(true);
  // The mix is admitted by the real admission check, pod by pod.
  let committed = { ingress: 0, egress: 0 };
  for (const p of pods) {
    const qos = { ingress: { ...p.qos, guaranteeBitsPerSecond: 0 }, egress: p.qos };
    const problems = guaranteeFitProblems(qos, nic, committed);
    if (problems.length > 0) throw new Error(`bench mix refused: ${problems.join("; ")}`);
    committed = { ingress: 0, egress: committed.egress + p.qos.guaranteeBitsPerSecond };
  }
  log(`qos: 20 pods, Σ guarantees ${committed.egress / G} Gbit/s on a ${nic.bitsPerSecond / G} Gbit/s NIC`);
  const capped = runNode(pods, nic, 60, createRng(14));
  const uncapped = runNode(twentyPods(false), nic, 60, createRng(14));
  const floodCap = pods[pods.length - 1]?.qos.packetRateCap ?? 0;
  const f = capped.flood;
  const ppsCapHeld =
    f.pps <= floodCap * (1 + 1e-9) &&
    f.ppsCapDrops >= (3e6 - floodCap) * 0.99 &&
    Math.abs(f.chargedBits - f.pps * nic.mpuBytes * 8) < 1 &&
    !capped.hostOverloaded;

  const seconds = opts.quick ? 5 : 60;
  log(`qos: model cost, 30,000 pods over 1,000 nodes, ${seconds} simulated seconds`);
  const cost = modelCost(30_000, 1_000, seconds);
  log(`qos: whole traffic model (decide + shape), 30,000 pods, 60,000 flows, ${seconds} simulated seconds`);
  const traffic = trafficModelCost(30_000, 1_000, 100, seconds);

  return [
    {
      scenario: "qos",
      quick: opts.quick,
      pods_on_node: pods.length,
      intervals: 60,
      nic_gbps: nic.bitsPerSecond / G,
      guarantees_gbps: committed.egress / G,
      guarantees_met: capped.guaranteesMet,
      min_achieved_over_guarantee: round(capped.minGuaranteeRatio, 4),
      total_within_nic: capped.totalWithinNic,
      max_total_gbps: round(capped.maxTotalBits / G, 4),
      within_maxima: capped.withinMaxima,
      idle_lent: capped.idleLent,
      min_idle_lent_share: round(capped.minLentShare, 4),
      pps_cap_held: ppsCapHeld,
      flood_offered_pps: 3e6,
      flood_pps_cap: floodCap,
      flood_pps: round(f.pps, 1),
      flood_pps_cap_drops: round(f.ppsCapDrops, 1),
      flood_mbps: round(f.bits / M, 3),
      flood_charged_mbps: round(f.chargedBits / M, 3),
      mpu_bytes: nic.mpuBytes,
      baseline_uncapped_host_overloaded: uncapped.hostOverloaded,
      baseline_uncapped_guarantees_met: uncapped.guaranteesMet,
      baseline_uncapped_min_achieved_over_guarantee: round(uncapped.minGuaranteeRatio, 4),
      model_pods: 30_000,
      model_nodes: 1_000,
      model_sim_seconds: seconds,
      model_solves: cost.solves,
      model_mean_delivered_mbps: round(cost.meanDeliveredBits / M, 2),
      model_mean_dropped_pps: round(cost.meanDroppedPps, 1),
      model_ms_per_sim_s_30000: round(cost.msPerSimS, 2),
      model_cost_ms_per_sim_s_30000_pods: round(traffic.msPerSimS, 2),
      traffic_model_flows: traffic.flows,
      traffic_model_delivered_gbps: round(traffic.deliveredGbps, 2),
      traffic_model_dropped_pps: round(traffic.droppedPps, 0),
    },
  ];
}
