/**
 * Runtime port: what a node agent (kubelet) does for the engine. The engine tells it
 * which pods run where; it reports observed pod status, pod events and node heartbeats
 * through the sink. The default implementation is simulated (simulated-runtime.ts); a
 * driver for a real cluster can implement the same port.
 * Contract: every method is idempotent and never throws for unknown ids; reports are
 * asynchronous (on the engine's timers), never re-entrant into the caller.
 */
import type { Clock } from "../queue/clock";
import type { Rng } from "../queue/rng";
import type { TimerSet } from "../queue/timers";
import type { Node, Pod, PodStatus, Resources } from "../kinds/types";
import type { SourceKind, SourceLookup } from "./container-config";
import type { TrafficNetwork } from "./traffic/traffic-network";
import type { PodTrafficReport, PublicIpTrafficReport } from "./traffic/traffic-report";
import type { ContainerSample } from "./workload-profile";

export interface RuntimeSink {
  podStatus(podId: string, status: PodStatus): void;
  podEvent(podId: string, type: "Normal" | "Warning", reason: string, message: string): void;
  heartbeat(nodeId: string): void;
}

export interface RuntimeContext {
  clock: Clock;
  timers: TimerSet;
  rng: Rng;
  sink: RuntimeSink;
  /** The ConfigMaps and Secrets pods read (env, envFrom, volumes); absent: none exists. */
  sources?: SourceLookup;
  /**
   * The network's real tables (addresses, security, services): given, the containers' traffic
   * (SIM_TRAFFIC) is decided and shaped by them and the samples' network figures are the model's;
   * absent, those figures are synthetic (derived from cpu), as before the network existed.
   */
  network?: TrafficNetwork;
}

export interface RuntimePort {
  attach(ctx: RuntimeContext): void;
  /** The VM is up: its agent starts heartbeating. */
  startNode(node: Node): void;
  /** The VM is gone. */
  removeNode(nodeId: string): void;
  /** Operator fault injection: the agent stops answering (heartbeats, status). */
  failNode(nodeId: string): void;
  recoverNode(nodeId: string): void;
  /** Run (or adopt, after an engine restart) a pod bound to a node. */
  runPod(pod: Pod): void;
  /** Begin graceful termination: SIGTERM now, killed after graceMs. */
  stopPod(podId: string, graceMs: number): void;
  /** The pod object is gone: drop everything about it. */
  forgetPod(podId: string): void;
  /** After a node comes back: keep only these pods on it. */
  reconcileNode(nodeId: string, keepPodIds: Set<string>): void;
  /**
   * A ConfigMap or Secret was created, changed or deleted: pods of that namespace waiting for
   * it (FailedMount, CreateContainerConfigError) try again now. Optional for a driver whose
   * agents watch the API themselves.
   */
  sourceChanged?(tenantId: string, namespace: string, kind: SourceKind, name: string): void;
  /** Report the current status of every pod again (the engine lost unsaved reports). */
  resync(): void;
  /**
   * The container's log lines (the first container's without a name): its current instance's,
   * or with `previous` its last terminated instance's ([] when it has not been restarted).
   */
  getLogs(podId: string, container?: string, opts?: { previous?: boolean }): string[];
  usage(podId: string): Resources | undefined;
  /**
   * cAdvisor-style samples of the pod's running containers over the `intervalMs` ending now
   * (what a node agent's collector reads); undefined when the pod is not on a live agent.
   */
  stats(podId: string, intervalMs: number): { container: string; sample: ContainerSample }[] | undefined;
  /**
   * The pod's traffic now, as the network model decided and shaped it (rates per second, drops by
   * reason, its QoS); undefined when the pod is not on a live agent or no network is attached.
   */
  traffic?(podId: string): PodTrafficReport | undefined;
  /**
   * Every bound PublicIP's traffic now (one model step shared with the pods' reports): achieved both
   * ways, offered from outside, black-holed drops; undefined when no network is attached.
   */
  publicIpTraffic?(): readonly PublicIpTrafficReport[] | undefined;
  /** Stop every timer (engine stop). */
  shutdown(): void;
}
