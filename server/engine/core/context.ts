/**
 * Shared wiring handed to every controller: state, clock, timers, queues, scheduler,
 * runtime, events and configuration, plus small pod helpers every controller needs.
 * Controllers are plain functions `sync(ctx, key)`: level-triggered and idempotent,
 * they read the state, stage writes and never await.
 */
import type { Clock, TimerHandle } from "../queue/clock";
import type { EventRecorder } from "./events";
import { randomString, type Rng } from "../queue/rng";
import type { RuntimePort } from "../runtime/runtime";
import type { PodScheduler } from "../scheduler/scheduler";
import type { PodAddresses } from "../network/pod-addresses";
import type { ServiceNetwork } from "../network/service-network";
import type { EngineSecurityState } from "../network/engine-security-state";
import type { PublicIpNetwork } from "../network/public-ip-network";
import { DEFAULT_DDOS_THRESHOLDS, type DdosThresholds } from "../network/security/ddos";
import { DEFAULT_SECURITY_LIMITS, type SecurityLimits } from "../network/security/limits";
import type { EngineState } from "./state";
import type { TimerSet } from "../queue/timers";
import { EVENT_RETENTION_MS, type ObjectKind, type Pod } from "../kinds/types";
import type { WorkQueue } from "../queue/work-queue";
import { isLive, isTerminal } from "../kinds/pod-status";

/** Tunables; defaults are Kubernetes' where Kubernetes has one. */
export interface EngineConfig {
  queueMode: "priority" | "fifo";
  scheduler: "tenant" | "global";
  eventRetentionMs: number;
  /** Record Normal pod/replica-set events (Pulling, Started, SuccessfulCreate...). Warnings always. */
  podEvents: boolean;
  resyncPeriodMs: number;
  nodeMonitorPeriodMs: number;
  nodeMonitorGraceMs: number;
  podEvictionTimeoutMs: number;
  scaleDownDelayMs: number;
  terminalPodRetentionMs: number;
  /** Namespaces one tenant may hold (names are global: without a bound one tenant could take them all). */
  namespacesPerTenant: number;
  /** Every tenant's private network (VPC) until Vpc objects exist; pods get addresses from its default subnet. */
  vpcCidr: string;
  /**
   * Security-group limits (network/security/limits.ts: AWS's 60 rules per group and direction,
   * 5 groups per pod, rules × groups ≤ 1,000); an operator may raise the rules per group as AWS
   * allows. A set securityLimitsProblem refuses makes the engine refuse to start.
   */
  securityLimits: SecurityLimits;
  /** DDoS protection of public IPs: above a threshold for sustainMs, the address is black-holed for blackholeMs. */
  ddosThresholds: DdosThresholds;
  /** How often (engine time) the traffic to each bound public IP is measured for DDoS protection. */
  ddosIntervalMs: number;
  /** How long a released public address is held before any tenant gets it again. */
  publicIpHoldMs: number;
  /** Modelled VM creation: create + boot + network set-up, each +-jitter. */
  vm: {
    createMs: number;
    bootMs: number;
    trimmedBootMs: number;
    networkMs: number;
    staticIpNetworkMs: number;
    jitter: number;
  };
  /** Keys each controller handles per pass, pods the scheduler places per pass. */
  keysPerPass: number;
  /** Of those, at most this many Sync-all keys, so a resync keeps passes short for real-time work. */
  syncAllPerPass: number;
  schedulerBudget: number;
  podCreateBurst: number;
  /** settle(): fire every timer due within this window before running controllers. */
  settleQuantumMs: number;
}

export const DEFAULT_CONFIG: EngineConfig = {
  queueMode: "priority",
  scheduler: "tenant",
  eventRetentionMs: EVENT_RETENTION_MS,
  podEvents: true,
  resyncPeriodMs: 300_000,
  nodeMonitorPeriodMs: 5_000,
  nodeMonitorGraceMs: 50_000,
  podEvictionTimeoutMs: 300_000,
  scaleDownDelayMs: 600_000,
  terminalPodRetentionMs: 60_000,
  namespacesPerTenant: 50,
  vpcCidr: "10.0.0.0/16",
  securityLimits: DEFAULT_SECURITY_LIMITS,
  ddosThresholds: DEFAULT_DDOS_THRESHOLDS,
  ddosIntervalMs: 10_000,
  publicIpHoldMs: 5 * 60_000,
  vm: {
    createMs: 8_000,
    bootMs: 35_000,
    trimmedBootMs: 12_000,
    networkMs: 9_000,
    staticIpNetworkMs: 1_000,
    jitter: 0.1,
  },
  keysPerPass: 500,
  syncAllPerPass: 100,
  schedulerBudget: 5_000,
  podCreateBurst: 500,
  settleQuantumMs: 0,
};

export interface Queues {
  deployment: WorkQueue;
  replicaSet: WorkQueue;
  node: WorkQueue;
  provisioner: WorkQueue;
  gc: WorkQueue;
  /** The endpoints controller's: keyed by service id. */
  endpoints: WorkQueue;
  /** The public IP binding controller's: `pip/<id>` and `svc/<tenant>/<namespace>/<name>` (controllers/public-ip-binding.ts). */
  publicIps: WorkQueue;
}

export interface Ctx {
  state: EngineState;
  clock: Clock;
  timers: TimerSet;
  rng: Rng;
  config: EngineConfig;
  events: EventRecorder;
  runtime: RuntimePort;
  queues: Queues;
  scheduler: PodScheduler;
  /** Pods' private addresses (memory only, rebuilt from committed pods at every load). */
  addresses: PodAddresses;
  /** Services' ClusterIPs and every tenant's forwarding table (memory only, rebuilt from committed objects at every load). */
  serviceNetwork: ServiceNetwork;
  /**
   * The flow decision's view and tables over the committed state (security groups, network
   * policies, port bans, pods' ports): memory only, fed every committed batch, reset at every load.
   */
  securityState: EngineSecurityState;
  /** The public pool's allocator and the committed public IPs' bindings (memory only, rebuilt at every load). */
  publicIps: PublicIpNetwork;
  /** Last heartbeat per node, in memory only (a restart starts every grace period afresh). */
  heartbeats: Map<string, number>;
  /** Since when a node has held no pods (provisioner scale-down). */
  emptySince: Map<string, number>;
  /** Progress-deadline timers per deployment. */
  deadlineTimers: Map<string, TimerHandle>;
}

export function newId(ctx: Ctx, kind: ObjectKind, prefix: string): string {
  for (;;) {
    const id = `${prefix}-${randomString(ctx.rng, 12)}`;
    if (!ctx.state.get(kind, id)) return id;
  }
}

// Pod lifecycle predicates live with the Pod kind (its informer handler needs them); re-exported for the controllers.
export { isLive, isTerminal };

/** Ready: every container running and ready. */
export function isReady(p: Pod): boolean {
  return (
    p.status.phase === "Running" &&
    p.status.containerStatuses.length > 0 &&
    p.status.containerStatuses.every((c) => c.ready && "running" in c.state)
  );
}

/** Since when the pod is Ready (its Ready condition's last transition), or undefined when it is not. */
export function readySince(p: Pod): number | undefined {
  if (!isReady(p)) return undefined;
  const c = p.status.conditions.find((x) => x.type === "Ready" && x.status === "True");
  return c?.lastTransitionTime;
}

/**
 * Available: live, ready for at least `minReadySeconds` (a deployment's; default 0) and on a
 * node that answers (Kubernetes' IsPodAvailable).
 */
export function isAvailable(ctx: Ctx, p: Pod, minReadySeconds = 0): boolean {
  if (!isLive(p) || !isReady(p)) return false;
  if (ctx.state.get("Node", p.nodeId)?.phase !== "Ready") return false;
  if (minReadySeconds <= 0) return true;
  const since = readySince(p);
  return since !== undefined && ctx.clock.now() - since >= minReadySeconds * 1000;
}

/** Start graceful deletion (Terminating); GC removes the pod when the grace period ends. */
export function terminatePod(ctx: Ctx, pod: Pod, reason: string, graceMs?: number): void {
  if (pod.deletionTimestamp !== undefined) return;
  const grace = graceMs ?? pod.spec.terminationGracePeriodSeconds * 1000;
  ctx.state.put({ ...pod, deletionTimestamp: ctx.clock.now(), deletionGraceMs: grace });
  if (pod.nodeId && (ctx.config.podEvents || reason !== "Killing")) {
    for (const c of pod.spec.containers) {
      ctx.events.recordFor(pod, "Normal", "Killing", `Stopping container ${c.name}`);
    }
  }
  if (reason !== "Killing") {
    const type = reason === "Evicted" || reason === "NodeLost" ? "Warning" : "Normal";
    ctx.events.recordFor(pod, type, reason, evictionMessage(reason, pod));
  }
}

function evictionMessage(reason: string, pod: Pod): string {
  switch (reason) {
    case "Evicted":
      return `Evicting pod ${pod.name} from node ${pod.nodeName ?? "?"} (drain)`;
    case "NodeLost":
      return `Marking for deletion Pod ${pod.name}: node ${pod.nodeName ?? "?"} has been NotReady longer than the eviction timeout`;
    case "Moved":
      return `Pod ${pod.name} replaced by a copy on another node (move)`;
    default:
      return `Deleting pod ${pod.name}: ${reason}`;
  }
}

export function recordPodEvent(ctx: Ctx, pod: Pod, type: "Normal" | "Warning", reason: string, message: string): void {
  if (type === "Normal" && !ctx.config.podEvents) return;
  ctx.events.recordFor(pod, type, reason, message);
}
