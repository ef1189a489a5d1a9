/**
 * A rolling record of the engine's throughput for the operators' charts: every
 * `periodMs` of engine time, the pods placed since the last sample (per second), the depth of
 * every controller's queue and the pending pods. Kept in memory (one hour by default): it
 * describes this process's engine, not durable state.
 */
import type { Clock, TimerHandle } from "../engine";
import type { Orchestrator } from "../engine/api/orchestrator";

export interface ClusterSample {
  at: number;
  /** Pods placed per second over the last period. */
  scheduledPerSecond: number;
  /** Queue depth per controller (all priorities). */
  queues: Record<string, number>;
  pods: number;
  nodes: number;
  pending: number;
}

export interface ClusterHistory {
  start(): void;
  stop(): void;
  samples(): ClusterSample[];
}

export function createClusterHistory(
  engine: Orchestrator,
  clock: Clock,
  periodMs = 10_000,
  keep = 360,
): ClusterHistory {
  const samples: ClusterSample[] = [];
  let timer: TimerHandle | undefined;
  let last: { at: number; scheduled: number } | undefined;

  function sample() {
    const s = engine.stats();
    const at = clock.now();
    const scheduled = s.scheduler.scheduled;
    const seconds = last ? (at - last.at) / 1000 : 0;
    samples.push({
      at,
      scheduledPerSecond: last && seconds > 0 ? Math.max(0, scheduled - last.scheduled) / seconds : 0,
      queues: Object.fromEntries(Object.entries(s.queues).map(([name, depth]) => [name, depth.total])),
      pods: s.pods,
      nodes: s.nodes,
      pending: s.podsByPhase.Pending ?? 0,
    });
    if (samples.length > keep) samples.splice(0, samples.length - keep);
    last = { at, scheduled };
    timer = clock.setTimer(at + periodMs, sample);
  }

  return {
    start() {
      if (timer === undefined) sample();
    },
    stop() {
      if (timer !== undefined) clock.clearTimer(timer);
      timer = undefined;
    },
    samples: () => samples.slice(),
  };
}
