/**
 * The node agents' collectors (cAdvisor-style). Every `intervalMs` of engine time each live
 * node's agent reads its Running containers' usage from the runtime and pushes one batch.
 * An agent only ever handles its own tenant's containers: a pod of another tenant on a node
 * would be a scheduler bug, and its samples are refused rather than mixed in.
 */
import type { Clock, RuntimePort, TimerHandle } from "../engine";
import type { Orchestrator } from "../engine/api/orchestrator";
import type { SeriesKey } from "@/db/queries/monitoring";
import type { ContainerSample } from "../engine/runtime/workload-profile";

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
  push(batches: AgentBatch[]): void;
  log?: (message: string) => void;
}

/** One collection round at the clock's current time: one batch per node with running containers. */
export function collectRound(
  opts: Pick<CollectorOptions, "engine" | "runtime" | "clock" | "intervalMs" | "log">,
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
  return batches;
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
