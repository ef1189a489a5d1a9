import { describe, expect, it } from "vitest";
import { emptySnapshot } from "../store/store";
import { EngineState } from "./state";
import { EMPTY_MAP, type Namespace, type Node, type Pod } from "../kinds/types";

const pod = (id: string, nodeId?: string, cpu = 100): Pod => ({
  kind: "Pod",
  id,
  tenantId: "t",
  namespace: "t",
  name: id,
  ownerReplicaSetId: "rs1",
  labels: {},
  annotations: {},
  generation: 1,
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
    expect(s.byName("Pod", "t", "c", "t")?.id).toBe("c");
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

  it("rollbackToSavepoint undoes only the writes since the savepoint; the batch keeps the rest", () => {
    const s = new EngineState();
    s.put(pod("a", "n1"));
    s.put(pod("b", "n1"));
    s.takeBatch();
    // Staged before the savepoint: kept.
    s.put({ ...(s.get("Pod", "a") as Pod), nodeId: "n2" });
    s.openSavepoint();
    s.put({ ...(s.get("Pod", "a") as Pod), nodeId: "n3" });
    s.remove("Pod", "b");
    s.put(pod("c", "n1"));
    s.rollbackToSavepoint();
    expect(s.get("Pod", "a")?.nodeId).toBe("n2");
    expect(s.get("Pod", "b")).toBeDefined();
    expect(s.get("Pod", "c")).toBeUndefined();
    expect(s.podsOnNode("n1").map((p) => p.id)).toEqual(["b"]);
    expect(s.podsOnNode("n3")).toEqual([]);
    expect([...s.stagedCreations("Pod")]).toEqual([]);
    const { batch, changes } = s.takeBatch();
    expect(batch.ops).toHaveLength(1);
    expect(changes[0]).toMatchObject({ before: { nodeId: "n1" }, after: { nodeId: "n2" } });
    // A released savepoint keeps its writes.
    s.openSavepoint();
    s.put(pod("d", "n1"));
    s.releaseSavepoint();
    expect(s.takeBatch().batch.ops).toHaveLength(1);
  });

  it("keeps the indexes and name scopes the kinds declare", () => {
    const s = new EngineState();
    const meta = { labels: EMPTY_MAP, annotations: EMPTY_MAP, generation: 1, createdAt: 0, resourceVersion: 0 };
    const ns = (id: string, tenantId: string, name: string, tenantDefault?: boolean): Namespace => ({
      ...meta,
      kind: "Namespace",
      id,
      tenantId,
      name,
      status: { phase: "Active" },
      ...(tenantDefault ? { tenantDefault } : {}),
    });
    const node = (id: string, tenantId: string, poolId: string): Node => ({
      ...meta,
      kind: "Node",
      id,
      tenantId,
      name: "node-1",
      poolId,
      capacity: { cpuMillis: 1000, memoryBytes: 1, pods: 10 },
      phase: "Ready",
      unschedulable: false,
      draining: false,
      warm: false,
      lastHeartbeat: 0,
      provisionReadyAt: 0,
    });
    s.put(ns("ns1", "t", "acme", true));
    s.put(ns("ns2", "u", "other"));
    expect(s.defaultNamespaceOf("t")).toBe("acme");
    expect(s.defaultNamespaceOf("u")).toBeUndefined();
    // Namespace names are global; another tenant's is found by name but never by byName.
    expect(s.namespaceNamed("other")?.id).toBe("ns2");
    expect(s.byName("Namespace", "t", "other")).toBeUndefined();
    // Node names are per tenant: two tenants' "node-1" are two objects.
    s.put(node("n1", "t", "pool-a"));
    s.put(node("n2", "u", "pool-b"));
    s.put(node("n3", "t", "pool-a"));
    expect(s.byName("Node", "u", "node-1")?.id).toBe("n2");
    expect(s.nodesOfPool("pool-a").map((n) => n.id)).toEqual(["n1", "n3"]);
    expect(s.indexed("Node", "byPool", "pool-b").map((n) => n.id)).toEqual(["n2"]);
    const v = s.nodeSetVersion;
    s.put({ ...(s.get("Node", "n1") as Node), phase: "NotReady" });
    expect(s.nodeSetVersion).toBe(v); // an update is no membership change
    s.remove("Node", "n3");
    expect(s.nodeSetVersion).toBeGreaterThan(v);
    expect(s.nodesOfPool("pool-a").map((n) => n.id)).toEqual(["n1"]);
    // Pods are namespaced: none is found without a namespace.
    s.put(pod("p", "n1"));
    expect(s.byName("Pod", "t", "p")).toBeUndefined();
    expect(s.sum("Pod", "usageOfNamespace", "t")).toEqual({ cpuMillis: 100, memoryBytes: 1, pods: 1 });
    s.put({ ...(s.get("Namespace", "ns1") as Namespace), tenantDefault: undefined });
    expect(s.defaultNamespaceOf("t")).toBeUndefined();
    expect(() => s.indexed("Pod", "byColour", "x")).toThrow(/declares no index/);
  });

  it("load() rebuilds every index from a snapshot", () => {
    const a = new EngineState();
    a.put(pod("a", "n1", 100));
    a.put(pod("b", undefined, 200));
    const b = new EngineState();
    b.put(pod("stale", "n1"));
    b.load({ ...emptySnapshot(), Pod: [...a.all("Pod")] });
    expect(b.podsOnNode("n1").map((p) => p.id)).toEqual(["a"]);
    expect(b.usageOf("t")).toEqual({ cpuMillis: 300, memoryBytes: 2, pods: 2 });
    expect(b.allocatedOn("n1")).toEqual({ cpuMillis: 100, memoryBytes: 1, pods: 1 });
    expect(b.hasStaged()).toBe(false);
  });
});
