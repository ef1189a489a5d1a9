import { describe, expect, it } from "vitest";
import { EngineState } from "./state";
import type { Pod } from "../kinds/types";

const pod = (id: string, nodeId?: string, cpu = 100): Pod => ({
  kind: "Pod",
  id,
  tenantId: "t",
  name: id,
  ownerReplicaSetId: "rs1",
  labels: {},
  nodeId,
  spec: { containers: [], restartPolicy: "Always", terminationGracePeriodSeconds: 30, nodeSelector: {} },
  requests: { cpuMillis: cpu, memoryBytes: 1 },
  status: { phase: "Pending", conditions: [], containerStatuses: [] },
  createdAt: 0,
  resourceVersion: 0,
});

describe("engine state", () => {
  it("keeps indexes, allocation and quota usage incrementally", () => {
    const s = new EngineState();
    s.put(pod("a", "n1", 100));
    s.put(pod("b", "n1", 200));
    s.put(pod("c", undefined, 300));
    expect(s.allocatedOn("n1")).toEqual({ cpuMillis: 300, memoryBytes: 2, pods: 2 });
    expect(s.usageOf("t").cpuMillis).toBe(600);
    s.put({ ...(s.get("Pod", "b") as Pod), deletionTimestamp: 1 });
    expect(s.usageOf("t").cpuMillis).toBe(400); // terminating no longer counts for quota
    expect(s.allocatedOn("n1").cpuMillis).toBe(300); // but still holds the node
    s.remove("Pod", "a");
    expect(s.podsOnNode("n1").map((p) => p.id)).toEqual(["b"]);
    expect(
      s
        .podsOfReplicaSet("rs1")
        .map((p) => p.id)
        .sort(),
    ).toEqual(["b", "c"]);
    expect(s.byName("Pod", "t", "c")?.id).toBe("c");
  });

  it("takeBatch yields one op per changed object, and discardStaged restores the committed state", () => {
    const s = new EngineState();
    s.put(pod("a", "n1"));
    s.put(pod("b", "n1"));
    const first = s.takeBatch();
    expect(first.batch.ops).toHaveLength(2);
    s.put({ ...(s.get("Pod", "a") as Pod), nodeId: "n2" });
    s.put({ ...(s.get("Pod", "a") as Pod), nodeId: "n3" });
    s.remove("Pod", "b");
    s.put(pod("c", "n1"));
    s.discardStaged();
    expect(s.hasStaged()).toBe(false);
    expect(s.get("Pod", "a")?.nodeId).toBe("n1");
    expect(s.get("Pod", "b")).toBeDefined();
    expect(s.get("Pod", "c")).toBeUndefined();
    expect(
      s
        .podsOnNode("n1")
        .map((p) => p.id)
        .sort(),
    ).toEqual(["a", "b"]);
    expect(s.podsOnNode("n3")).toEqual([]);
    expect(s.allocatedOn("n1").pods).toBe(2);
    s.put({ ...(s.get("Pod", "a") as Pod), nodeId: "n2" });
    s.remove("Pod", "b");
    const { batch, changes } = s.takeBatch();
    expect(batch.ops.map((o) => o.op).sort()).toEqual(["delete", "upsert"]);
    expect(changes.find((c) => c.after?.id === "a")?.before).toMatchObject({ nodeId: "n1" });
  });
});
