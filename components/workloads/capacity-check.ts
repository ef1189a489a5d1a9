/**
 * Whether the pods a wizard describes can ever run, from what the console already reads: the
 * tenant's node pools (their machine types' allocatable, which is their capacity here) and its
 * quota. Errors are what the server refuses too (a pod bigger than any machine type or than the
 * whole quota, a claim past the quota); warnings are what it accepts but can never place (a pod
 * bigger than every pool's machines, more pods than the pools and node quota can ever hold).
 * Machine types grow in cpu and memory together, so cpu and memory can be judged apart.
 */
import { formatBytes, formatCpu } from "@/components/format";
import { MACHINE_TYPES, MAX_PODS_PER_NODE, type MachineType } from "@/server/engine/kinds/types";
import type { FieldError, FormErrors } from "./spec";

export interface PoolInfo {
  name: string;
  machineType: MachineType;
  maxSize: number;
}

export interface QuotaInfo {
  limits: { cpuMillis?: number; memoryBytes?: number; pods?: number; nodes?: number };
  claimed: { cpuMillis: number; memoryBytes: number; pods: number };
}

export interface PodShape {
  cpuMillis: number;
  memoryBytes: number;
  replicas: number;
}

export interface CapacityFindings {
  errors: FormErrors;
  warnings: FormErrors;
}

const ALL_TYPES = Object.keys(MACHINE_TYPES) as MachineType[];
const bigger = (a: MachineType, b: MachineType) => (MACHINE_TYPES[b].cpuMillis > MACHINE_TYPES[a].cpuMillis ? b : a);

export function checkCapacity(
  pod: PodShape,
  pools: PoolInfo[] | undefined,
  quota: QuotaInfo | undefined,
): CapacityFindings {
  const errors: FormErrors = {};
  const warnings: FormErrors = {};
  const largest = ALL_TYPES.reduce(bigger);
  const machineLimit = (field: "cpu" | "memory"): FieldError | undefined => {
    const cap = MACHINE_TYPES[largest];
    if (field === "cpu" && pod.cpuMillis > cap.cpuMillis)
      return {
        key: "cpuAboveMachines",
        values: { request: formatCpu(pod.cpuMillis), machineType: largest, capacity: formatCpu(cap.cpuMillis) },
      };
    if (field === "memory" && pod.memoryBytes > cap.memoryBytes)
      return {
        key: "memoryAboveMachines",
        values: { request: formatBytes(pod.memoryBytes), machineType: largest, capacity: formatBytes(cap.memoryBytes) },
      };
    return undefined;
  };
  const quotaLimit = (field: "cpu" | "memory"): FieldError | undefined => {
    const l = quota?.limits;
    if (field === "cpu" && l?.cpuMillis !== undefined && pod.cpuMillis > l.cpuMillis)
      return { key: "cpuAboveQuota", values: { request: formatCpu(pod.cpuMillis), limit: formatCpu(l.cpuMillis) } };
    if (field === "memory" && l?.memoryBytes !== undefined && pod.memoryBytes > l.memoryBytes)
      return {
        key: "memoryAboveQuota",
        values: { request: formatBytes(pod.memoryBytes), limit: formatBytes(l.memoryBytes) },
      };
    return undefined;
  };
  for (const field of ["cpu", "memory"] as const) {
    const e = machineLimit(field) ?? quotaLimit(field);
    if (e) errors[field] = e;
  }

  if (pools && pools.length > 0) {
    const poolLargest = pools.map((p) => p.machineType).reduce(bigger);
    const cap = MACHINE_TYPES[poolLargest];
    if (!errors.cpu && pod.cpuMillis > cap.cpuMillis)
      warnings.cpu = {
        key: "cpuAbovePools",
        values: { request: formatCpu(pod.cpuMillis), machineType: poolLargest, capacity: formatCpu(cap.cpuMillis) },
      };
    if (!errors.memory && pod.memoryBytes > cap.memoryBytes)
      warnings.memory = {
        key: "memoryAbovePools",
        values: {
          request: formatBytes(pod.memoryBytes),
          machineType: poolLargest,
          capacity: formatBytes(cap.memoryBytes),
        },
      };
  }

  const claim = claimProblem(pod, quota);
  if (claim) errors.replicas = claim;
  else if (pools && !errors.cpu && !errors.memory && !warnings.cpu && !warnings.memory) {
    const most = mostPodsEver(pod, pools, quota?.limits.nodes);
    if (pod.replicas > most)
      warnings.replicas = { key: "replicasAboveNodes", values: { most, replicas: pod.replicas } };
  }
  return { errors, warnings };
}

/** The quota refusal the server would give for requests × replicas, at the replicas field. */
function claimProblem(pod: PodShape, quota: QuotaInfo | undefined): FieldError | undefined {
  if (!quota || pod.replicas === 0) return undefined;
  const { limits, claimed } = quota;
  const n = pod.replicas;
  if (limits.pods !== undefined && claimed.pods + n > limits.pods)
    return { key: "quotaPods", values: { free: Math.max(0, limits.pods - claimed.pods) } };
  if (limits.cpuMillis !== undefined && claimed.cpuMillis + pod.cpuMillis * n > limits.cpuMillis) {
    return { key: "quotaCpu", values: { free: formatCpu(Math.max(0, limits.cpuMillis - claimed.cpuMillis)) } };
  }
  if (limits.memoryBytes !== undefined && claimed.memoryBytes + pod.memoryBytes * n > limits.memoryBytes) {
    return { key: "quotaMemory", values: { free: formatBytes(Math.max(0, limits.memoryBytes - claimed.memoryBytes)) } };
  }
  return undefined;
}

/**
 * How many pods of this size the pools could hold at their maximum size within the node quota,
 * with nothing else running: an upper bound, so more replicas than this can never all run.
 */
export function mostPodsEver(pod: PodShape, pools: PoolInfo[], nodeQuota: number | undefined): number {
  const perNode = (t: MachineType) => {
    const c = MACHINE_TYPES[t];
    const byCpu = pod.cpuMillis > 0 ? Math.floor(c.cpuMillis / pod.cpuMillis) : MAX_PODS_PER_NODE;
    const byMemory = pod.memoryBytes > 0 ? Math.floor(c.memoryBytes / pod.memoryBytes) : MAX_PODS_PER_NODE;
    return Math.min(byCpu, byMemory, c.pods);
  };
  let nodesLeft = nodeQuota ?? Infinity;
  let pods = 0;
  // Biggest machines first: the node quota is spent where each node holds the most pods.
  for (const p of [...pools].sort((a, b) => perNode(b.machineType) - perNode(a.machineType))) {
    const nodes = Math.min(p.maxSize, nodesLeft);
    pods += nodes * perNode(p.machineType);
    nodesLeft -= nodes;
  }
  return pods;
}
