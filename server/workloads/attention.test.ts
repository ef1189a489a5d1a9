import { describe, expect, it } from "vitest";
import { attentionItems, NO_READY_NODE_MS, type AttentionInput } from "./attention";
import type { Health } from "./health";

const now = 10_000_000;
const ok: Health = { state: "Available", reason: "Running", message: "" };
const crash: Health = {
  state: "Degraded",
  reason: "CrashLoopBackOff",
  message: "back-off 10s restarting failed container=app pod=w-1",
};
const waiting: Health = {
  state: "Progressing",
  reason: "Unschedulable",
  message: "0/1 nodes are available: 1 node(s) were not ready.",
};
const node = (phase: "Ready" | "Provisioning" | "NotReady", createdAt = now - 10_000, pool = "default") => ({
  name: `${pool}-${phase.toLowerCase()}`,
  phase,
  warm: false,
  createdAt,
  provisionReadyAt: createdAt + 20_000,
  labels: { "cloud/pool": pool },
  poolId: `pool-${pool}`,
});
const input = (patch: Partial<AttentionInput>): AttentionInput => ({
  now,
  deployments: [],
  pods: [],
  nodes: [],
  ...patch,
});

describe("needs attention", () => {
  it("a degraded deployment once, not again for each of its pods; a degraded pod of no listed deployment by itself", () => {
    const items = attentionItems(
      input({
        deployments: [
          {
            id: "d1",
            name: "worker",
            health: { ...crash, cause: { reason: crash.reason, message: crash.message, pod: "w-1", pods: 2 } },
          },
          { id: "d2", name: "web", health: { state: "Available", reason: "NewReplicaSetAvailable", message: "" } },
        ],
        pods: [
          { name: "w-1", deploymentId: "d1", health: crash },
          { name: "w-2", deploymentId: "d1", health: crash },
          { name: "web-1", deploymentId: "d2", health: ok },
          { name: "loose", health: crash },
        ],
      }),
    );
    expect(items.map((i) => i.key)).toEqual(["deployment/worker", "pod/loose"]);
  });

  it("a pool with only booting VMs: a warning while pods wait for it, an error when it takes too long", () => {
    const pods = [{ name: "p", health: waiting }];
    expect(attentionItems(input({ nodes: [node("Provisioning")] }))).toEqual([]);
    expect(attentionItems(input({ nodes: [node("Provisioning")], pods }))).toEqual([
      expect.objectContaining({
        kind: "NodePool",
        name: "default",
        tone: "warn",
        reason: "WaitingForNode",
        node: "default-provisioning",
        readyInMs: 10_000,
        waitingPods: 1,
      }),
    ]);
    expect(attentionItems(input({ nodes: [node("Provisioning", now - NO_READY_NODE_MS)] }))).toEqual([
      expect.objectContaining({ tone: "bad", reason: "NoReadyNode" }),
    ]);
    expect(attentionItems(input({ nodes: [node("Provisioning"), node("Ready")], pods }))).toEqual([]);
  });

  it("NotReady nodes and usage over quota", () => {
    const items = attentionItems(
      input({
        nodes: [node("NotReady", now - 10_000, "gpu"), node("Ready")],
        quota: { limits: { cpuMillis: 4000, pods: 10 }, used: { cpuMillis: 5000, memoryBytes: 1, pods: 10, nodes: 2 } },
      }),
    );
    expect(items.map((i) => i.key)).toEqual(["node/gpu-notready", "quota/cpuMillis"]);
    expect(items[1]).toMatchObject({ reason: "OverQuota", used: 5000, limit: 4000 });
  });
});
