/**
 * Helpers for engine tests and benchmarks: an engine on a virtual clock and an
 * in-memory store, plus invariant checks. Not used by production code.
 */
import { createVirtualClock, type VirtualClock } from "./queue/clock";
import type { EngineConfig } from "./core/context";
import { createEngine, type Engine } from "./api/engine";
import { createRng } from "./queue/rng";
import { createMemoryStore, type MemoryStore, type Snapshot } from "./store/store";
import type { Pod } from "./kinds/types";
import type { CreateDeploymentInput } from "./api/deployment-commands";
import type { RuntimePort } from "./runtime/runtime";

export interface Harness {
  engine: Engine;
  clock: VirtualClock;
  store: MemoryStore;
}

export async function startHarness(
  opts: {
    seed?: number;
    config?: Partial<EngineConfig>;
    snapshot?: Snapshot;
    startMs?: number;
    log?: (m: string, e?: unknown) => void;
    /** A runtime the test keeps a reference to (default: a simulated one of its own). */
    runtime?: RuntimePort;
  } = {},
): Promise<Harness> {
  const clock = createVirtualClock(opts.startMs ?? Date.UTC(2026, 0, 1));
  const store = createMemoryStore(opts.snapshot);
  const engine = createEngine({
    store,
    clock,
    rng: createRng(opts.seed ?? 42),
    config: opts.config,
    log: opts.log,
    ...(opts.runtime ? { runtime: opts.runtime } : {}),
  });
  await engine.start();
  return { engine, clock, store };
}

export function webDeployment(
  name = "web",
  replicas = 3,
  image = "nginx:1.27",
  extra: Partial<CreateDeploymentInput> = {},
): CreateDeploymentInput {
  return {
    name,
    replicas,
    template: {
      labels: { app: name },
      spec: { containers: [{ name: "app", image, resources: { requests: { cpu: "250m", memory: "256Mi" } } }] },
    },
    ...extra,
  };
}

export const livePods = (e: Engine, tenant: string, deployment?: string): Pod[] =>
  e.listPods(tenant, { deployment, limit: 1000 }).items.filter((p) => p.deletionTimestamp === undefined);

export function availablePods(e: Engine, tenant: string, deployment: string): Pod[] {
  return livePods(e, tenant, deployment).filter(
    (p) =>
      p.status.phase === "Running" &&
      p.status.containerStatuses.length > 0 &&
      p.status.containerStatuses.every((c) => c.ready) &&
      e.getNode(tenant, p.nodeId ?? "?").phase === "Ready",
  );
}
