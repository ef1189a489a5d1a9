/**
 * cAdvisor-style usage of a simulated container, as a pure function of its spec, its start
 * time and the sample time. Deterministic: the same (container, time) always gives the same
 * sample, so a re-collected or replayed sample is identical and rollups can be checked
 * against raw samples exactly.
 *
 * The profile is chosen by the spec's env (so tests and demos can drive it):
 * - SIM_PROFILE = steady (default) | periodic (a 10-minute wave) | bursty (short spikes) | leak
 * - SIM_CPU = demanded millicores (default: half the cpu request)
 * - SIM_MEMORY = working set, e.g. "200Mi" (default: 40 % of the memory request)
 * - SIM_LEAK_RATE = memory growth per minute for `leak`, e.g. "20Mi" (default 20Mi)
 * Bounds: cpu never exceeds the cpu limit (the excess is reported as throttled time);
 * a leaking container is OOM-killed when its working set reaches the memory limit
 * (`oomKillAfterMs`), which the simulated runtime turns into exit code 137.
 * Whatever the env says (`SIM_CPU=1e308`, a negative or unparsable value), every figure is
 * finite and within what a node can have: demand, usage and limits are clamped to the
 * largest machine type (a container never uses more than its node), so sums over a whole
 * fleet and months of samples stay far inside float8.
 */
import { parseCpu, parseMemory } from "../kinds/quantity";
import { MACHINE_TYPES, type ContainerSpec } from "../kinds/types";

export type WorkloadKind = "steady" | "periodic" | "bursty" | "leak";

export interface WorkloadProfile {
  kind: WorkloadKind;
  cpuDemandMillis: number;
  cpuLimitMillis?: number;
  memoryBytes: number;
  memoryLimitBytes?: number;
  leakBytesPerMs: number;
  /** Listening ports (TCP listen sockets). */
  listenPorts: number;
}

/** One container's usage over the interval ending at the sample time. Counters are deltas over that interval. */
export interface ContainerSample {
  cpuMillis: number;
  cpuThrottledMs: number;
  memoryWorkingSetBytes: number;
  memoryRssBytes: number;
  memoryLimitBytes: number;
  diskReadBytes: number;
  diskWriteBytes: number;
  diskReadOps: number;
  diskWriteOps: number;
  tcpEstablished: number;
  tcpListen: number;
  tcpTimeWait: number;
  netRxBytes: number;
  netTxBytes: number;
  netRxPackets: number;
  netTxPackets: number;
  netRxDrops: number;
  netTxDrops: number;
}

export const SAMPLE_FIELDS = [
  "cpuMillis",
  "cpuThrottledMs",
  "memoryWorkingSetBytes",
  "memoryRssBytes",
  "memoryLimitBytes",
  "diskReadBytes",
  "diskWriteBytes",
  "diskReadOps",
  "diskWriteOps",
  "tcpEstablished",
  "tcpListen",
  "tcpTimeWait",
  "netRxBytes",
  "netTxBytes",
  "netRxPackets",
  "netTxPackets",
  "netRxDrops",
  "netTxDrops",
] as const satisfies readonly (keyof ContainerSample)[];

const MI = 2 ** 20;
/** No node is larger than the largest machine type: no container can use more. */
export const MAX_NODE_CPU_MILLIS = Math.max(...Object.values(MACHINE_TYPES).map((m) => m.cpuMillis));
export const MAX_NODE_MEMORY_BYTES = Math.max(...Object.values(MACHINE_TYPES).map((m) => m.memoryBytes));

/** `v` within [lo, hi]; anything not finite (NaN, ±Infinity) is `lo`. */
function clamp(v: number, lo: number, hi: number): number {
  return Number.isFinite(v) ? Math.min(hi, Math.max(lo, v)) : lo;
}
const clampOptional = (v: number | undefined, hi: number) => (v === undefined ? undefined : clamp(v, 0, hi));

function envOf(spec: ContainerSpec, name: string, env?: ReadonlyMap<string, string>): string | undefined {
  if (env) return env.get(name);
  return spec.env.find((e) => e.name === name && !e.valueFrom)?.value;
}

function safe<T>(f: () => T, fallback: T): T {
  try {
    return f();
  } catch {
    return fallback;
  }
}

/** The container's profile; `env` is its resolved environment (default: the spec's literal values). */
export function profileOf(spec: ContainerSpec, env?: ReadonlyMap<string, string>): WorkloadProfile {
  const requestCpu = safe(() => parseCpu(spec.resources.requests.cpu), 100);
  const requestMemory = safe(() => parseMemory(spec.resources.requests.memory), 128 * MI);
  const kindEnv = envOf(spec, "SIM_PROFILE", env);
  const kind: WorkloadKind = kindEnv === "periodic" || kindEnv === "bursty" || kindEnv === "leak" ? kindEnv : "steady";
  const cpuEnv = envOf(spec, "SIM_CPU", env);
  const memEnv = envOf(spec, "SIM_MEMORY", env);
  const leakEnv = envOf(spec, "SIM_LEAK_RATE", env);
  const cpuLimitMillis = clampOptional(
    spec.resources.limits.cpu ? safe(() => parseCpu(spec.resources.limits.cpu as string), undefined) : undefined,
    MAX_NODE_CPU_MILLIS,
  );
  const memoryLimitBytes = clampOptional(
    spec.resources.limits.memory
      ? safe(() => parseMemory(spec.resources.limits.memory as string), undefined)
      : undefined,
    MAX_NODE_MEMORY_BYTES,
  );
  const demand = cpuEnv !== undefined && Number.isFinite(Number(cpuEnv)) ? Number(cpuEnv) : requestCpu / 2;
  const memory = memEnv ? safe(() => parseMemory(memEnv), requestMemory * 0.4) : requestMemory * 0.4;
  const leakPerMinute = kind === "leak" ? safe(() => parseMemory(leakEnv ?? "20Mi"), 20 * MI) : 0;
  return {
    kind,
    // Demand may exceed the limit (that is throttling) but not what a node has.
    cpuDemandMillis: clamp(demand, 0, MAX_NODE_CPU_MILLIS),
    cpuLimitMillis,
    memoryBytes: clamp(memory, 0, memoryLimitBytes ?? MAX_NODE_MEMORY_BYTES),
    memoryLimitBytes,
    leakBytesPerMs: clamp(leakPerMinute, 0, MAX_NODE_MEMORY_BYTES) / 60_000,
    listenPorts: spec.ports.filter((p) => p.protocol === "TCP").length,
  };
}

/** Milliseconds after start at which a leaking container reaches its memory limit, or undefined. */
export function oomKillAfterMs(profile: WorkloadProfile): number | undefined {
  if (profile.leakBytesPerMs <= 0 || profile.memoryLimitBytes === undefined) return undefined;
  return Math.max(0, Math.ceil((profile.memoryLimitBytes - profile.memoryBytes) / profile.leakBytesPerMs));
}

/** A stable pseudo-random number in [0, 1) for (key, slot): deterministic noise. */
export function noise(key: string, slot: number): number {
  let h = 2166136261 ^ slot;
  for (let i = 0; i < key.length; i++) h = Math.imul(h ^ key.charCodeAt(i), 16777619);
  h = Math.imul(h ^ (h >>> 15), 2246822507);
  h = Math.imul(h ^ (h >>> 13), 3266489909);
  return ((h ^ (h >>> 16)) >>> 0) / 4294967296;
}

function cpuDemandAt(p: WorkloadProfile, key: string, t: number, slot: number): number {
  const jitter = 0.9 + 0.2 * noise(key, slot);
  switch (p.kind) {
    case "periodic":
      return p.cpuDemandMillis * (1 + 0.6 * Math.sin((2 * Math.PI * t) / 600_000)) * jitter;
    case "bursty":
      return p.cpuDemandMillis * (noise(key, slot * 7 + 3) < 0.1 ? 4 : 0.5) * jitter;
    default:
      return p.cpuDemandMillis * jitter;
  }
}

/**
 * The sample for the interval (t − intervalMs, t] of a container started at `startedAt`.
 * `key` identifies the container (pod id + name) for noise.
 */
export function sampleAt(
  p: WorkloadProfile,
  key: string,
  startedAt: number,
  t: number,
  intervalMs: number,
): ContainerSample {
  const slot = Math.floor(t / 1000);
  const demand = cpuDemandAt(p, key, t, slot);
  const cpu = Math.min(demand, p.cpuLimitMillis ?? MAX_NODE_CPU_MILLIS);
  const throttledShare = demand > cpu ? (demand - cpu) / demand : 0;
  const sinceStart = Math.max(0, t - startedAt);
  const leaked = p.leakBytesPerMs * sinceStart;
  const workingSet = Math.round(p.memoryBytes * (0.97 + 0.06 * noise(key, slot + 11)) + leaked);
  const memory = Math.min(workingSet, p.memoryLimitBytes ?? MAX_NODE_MEMORY_BYTES);
  const load = cpu / Math.max(1, p.cpuDemandMillis || 1);
  const seconds = intervalMs / 1000;
  const rxBytes = Math.round(cpu * 2_000 * seconds * (0.8 + 0.4 * noise(key, slot + 21)));
  const txBytes = Math.round(rxBytes * (1.5 + noise(key, slot + 22)));
  const established = Math.round((p.listenPorts > 0 ? 8 : 1) * load * (0.7 + 0.6 * noise(key, slot + 31)));
  const rxPackets = Math.round(rxBytes / 900);
  const txPackets = Math.round(txBytes / 1200);
  return {
    cpuMillis: Math.round(cpu),
    cpuThrottledMs: Math.round(throttledShare * intervalMs),
    memoryWorkingSetBytes: memory,
    memoryRssBytes: Math.round(memory * 0.85),
    memoryLimitBytes: p.memoryLimitBytes ?? 0,
    diskReadBytes: Math.round(cpu * 300 * seconds * noise(key, slot + 41)),
    diskWriteBytes: Math.round(cpu * 500 * seconds * noise(key, slot + 42)),
    diskReadOps: Math.round(cpu * 0.05 * seconds * noise(key, slot + 43)),
    diskWriteOps: Math.round(cpu * 0.08 * seconds * noise(key, slot + 44)),
    tcpEstablished: established,
    tcpListen: p.listenPorts,
    tcpTimeWait: Math.round(established * 0.3 * noise(key, slot + 32)),
    netRxBytes: rxBytes,
    netTxBytes: txBytes,
    netRxPackets: rxPackets,
    netTxPackets: txPackets,
    netRxDrops: noise(key, slot + 51) < 0.02 ? 1 : 0,
    netTxDrops: 0,
  };
}
