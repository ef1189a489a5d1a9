/**
 * The node agents' collectors (cAdvisor-style). Every `intervalMs` of engine time each live
 * node's agent reads its Running containers' usage from the runtime and pushes one batch.
 * An agent only ever handles its own tenant's containers: a pod of another tenant on a node
 * would be a scheduler bug, and its samples are refused rather than mixed in. Each round also
 * adds its samples to the cumulative container counters (counters.ts), which
 * `/api/metrics` serves as cAdvisor's `*_total` counters; with a network attached to the runtime,
 * the traffic model's drops by reason are added to the network drop counters as well, its
 * security group rule hits to the rule hit counters, and its per public IP traffic to the
 * public IP counters.
 */
import { type Clock, isEngineError, type RuntimePort, type TimerHandle } from "../engine";
import type { Orchestrator } from "../engine/api/orchestrator";
import type { SeriesKey } from "@/db/queries/monitoring";
import type { ContainerSample } from "../engine/runtime/workload-profile";
import type { ContainerCounters } from "./counters";
import type { NetworkDropCounters } from "./network-drop-counters";
import type { NetworkRuleHitCounters } from "./network-rule-hit-counters";
import type { PublicIpCounters } from "./public-ip-counters";

export interface AgentBatch {
  nodeId: string;
  tenantId: string;
  at: number;
  samples: { key: SeriesKey; sample: ContainerSample }[];
}

export interface CollectorOptions {
  engine: Orchestrator;
  runtime: RuntimePort;
  clock: Clock;
  intervalMs: number;
  /** This process's cumulative container counters, which each round adds to. */
  counters: ContainerCounters;
  /** Drops by reason per pod (tenant_network_drops_total), from the runtime's traffic model. */
  networkCounters?: NetworkDropCounters;
  /** Packets and bytes per admitting security group rule and pod (tenant_network_rule_hits_*), from the same model. */
  ruleHitCounters?: NetworkRuleHitCounters;
  /** Traffic and blackholes per public IP, from the runtime's traffic model. */
  publicIpCounters?: PublicIpCounters;
  push(batches: AgentBatch[]): void;
  log?: (message: string) => void;
}

/**
 * One collection round at the clock's current time: one batch per node with running containers.
 * Its samples are added to the container counters as they are taken (a round at a time
 * already counted adds nothing there), and the counters of pods that are gone are dropped.
 */
export function collectRound(
  opts: Pick<
    CollectorOptions,
    | "engine"
    | "runtime"
    | "clock"
    | "intervalMs"
    | "counters"
    | "networkCounters"
    | "ruleHitCounters"
    | "publicIpCounters"
    | "log"
  >,
): AgentBatch[] {
  const at = opts.clock.now();
  const batches: AgentBatch[] = [];
  for (const { node, pods } of opts.engine.runningPodsByNode()) {
    const batch: AgentBatch = { nodeId: node.id, tenantId: node.tenantId, at, samples: [] };
    for (const { pod, revision, deploymentName } of pods) {
      if (pod.tenantId !== node.tenantId) {
        opts.log?.(`monitoring: agent on ${node.name} refused pod ${pod.name} of another tenant`);
        continue;
      }
      const modelled = opts.networkCounters !== undefined || opts.ruleHitCounters !== undefined;
      const traffic = modelled ? opts.runtime.traffic?.(pod.id) : undefined;
      if (traffic) {
        opts.networkCounters?.record(at, opts.intervalMs, pod.tenantId, pod.id, traffic);
        opts.ruleHitCounters?.record(at, opts.intervalMs, pod.tenantId, pod.id, traffic);
      }
      for (const { container, sample } of opts.runtime.stats(pod.id, opts.intervalMs) ?? []) {
        batch.samples.push({
          key: {
            tenantId: pod.tenantId,
            podId: pod.id,
            podName: pod.name,
            container,
            replicaSetId: pod.ownerReplicaSetId,
            revision,
            deploymentId: pod.deploymentId,
            deploymentName,
            nodeId: node.id,
          },
          sample,
        });
      }
    }
    if (batch.samples.length > 0) batches.push(batch);
  }
  for (const batch of batches) opts.counters.record(at, opts.intervalMs, batch.samples);
  const publicIps = opts.publicIpCounters ? opts.runtime.publicIpTraffic?.() : undefined;
  if (publicIps) opts.publicIpCounters?.record(at, opts.intervalMs, publicIps);
  const exists = (tenantId: string, podId: string) => podExists(opts.engine, tenantId, podId);
  opts.counters.prune(at, exists);
  opts.networkCounters?.prune(at, exists);
  opts.ruleHitCounters?.prune(at, exists);
  return batches;
}

function podExists(engine: Orchestrator, tenantId: string, podId: string): boolean {
  try {
    engine.getPod(tenantId, podId);
    return true;
  } catch (error) {
    // Only a pod known to be gone loses its totals; any other failure keeps them.
    return !(isEngineError(error) && error.code === "NOT_FOUND");
  }
}

export function createCollector(opts: CollectorOptions) {
  let timer: TimerHandle | undefined;
  const tick = () => {
    opts.push(collectRound(opts));
    timer = opts.clock.setTimer(opts.clock.now() + opts.intervalMs, tick);
  };
  return {
    start() {
      if (timer === undefined) timer = opts.clock.setTimer(opts.clock.now() + opts.intervalMs, tick);
    },
    stop() {
      if (timer !== undefined) opts.clock.clearTimer(timer);
      timer = undefined;
    },
  };
}
