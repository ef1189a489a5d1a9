import { describe, expect, it } from "vitest";
import { createVirtualClock } from "../queue/clock";
import { EventRecorder } from "../core/events";
import { createGlobalAlgorithm } from "./global-scheduler";
import { createRng } from "../queue/rng";
import { PodScheduler, tenantAlgorithm } from "./scheduler";
import { EngineState } from "../core/state";
import { MACHINE_TYPES, type Node, type Pod } from "../kinds/types";

const node = (id: string, tenantId: string): Node => ({
  kind: "Node",
  id,
  tenantId,
  poolId: "p",
  name: id,
  capacity: { ...MACHINE_TYPES["8c16g"] },
  labels: {},
  annotations: {},
  generation: 1,
  phase: "Ready",
  unschedulable: false,
  draining: false,
  warm: false,
  lastHeartbeat: 0,
  createdAt: 0,
  provisionReadyAt: 0,
  resourceVersion: 0,
});
const pod = (id: string, tenantId: string, cpu = 100): Pod => ({
  kind: "Pod",
  id,
  tenantId,
  namespace: tenantId,
  name: id,
  labels: {},
  annotations: {},
  generation: 1,
  requests: { cpuMillis: cpu, memoryBytes: 1 },
  spec: { containers: [], restartPolicy: "Always", terminationGracePeriodSeconds: 30, nodeSelector: {} },
  status: { phase: "Pending", conditions: [], containerStatuses: [] },
  createdAt: 0,
  resourceVersion: 0,
});

function world(algorithm = tenantAlgorithm) {
  const state = new EngineState();
  const clock = createVirtualClock(0);
  const events = new EventRecorder(state, clock, createRng(1), 3_600_000);
  const sched = new PodScheduler(
    state,
    events,
    () => clock.now(),
    algorithm,
    () => undefined,
  );
  return { state, sched };
}

describe("scheduler fairness between tenants", () => {
  it("a huge, failing tenant does not delay a small one (round-robin per tenant)", () => {
    const { state, sched } = world();
    state.put(node("b-1", "b"));
    for (let i = 0; i < 5_000; i++) sched.enqueue(state.put(pod(`a-${i}`, "a", 100_000))); // never fits: tenant a has no nodes
    for (let i = 0; i < 3; i++) sched.enqueue(state.put(pod(`b-${i}`, "b")));
    sched.runCycle(100);
    expect([0, 1, 2].every((i) => state.get("Pod", `b-${i}`)?.nodeId === "b-1")).toBe(true);
    const stats = sched.stats();
    expect(stats.scheduled).toBe(3);
    expect(stats.pendingByTenant.a?.active).toBeGreaterThan(4_800);
  });

  it("tenant placement reads only the tenant's nodes; the global baseline scans the cluster", () => {
    const tenant = world();
    const global = world(createGlobalAlgorithm());
    for (const w of [tenant, global]) {
      for (let t = 0; t < 50; t++) for (let n = 0; n < 20; n++) w.state.put(node(`t${t}-n${n}`, `t${t}`));
      for (let i = 0; i < 100; i++) w.sched.enqueue(w.state.put(pod(`p${i}`, "t7")));
      w.sched.runCycle(1_000);
    }
    const ts = tenant.sched.stats();
    const gs = global.sched.stats();
    expect(ts.scheduled).toBe(100);
    expect(gs.scheduled).toBe(100);
    expect(ts.nodesEvaluated).toBe(100 * 20);
    expect(gs.nodesEvaluated).toBeGreaterThan(10 * ts.nodesEvaluated);
    for (let i = 0; i < 100; i++) expect(global.state.get("Pod", `p${i}`)?.nodeId).toMatch(/^t7-/);
  });
});
