import { describe, expect, it } from "vitest";
import {
  ALL,
  contextOf,
  deployment,
  event,
  namespace,
  node,
  pod,
  pods,
  pool,
  replicaSet,
  resourceQuota,
  T0,
  tenantQuota,
} from "./fixtures.test-kit";
import { rfc3339 } from "./kubernetes";
import { kindDefinition, toKubernetes } from "./registry";
import { labelSelectorObjectMatcher } from "./selectors";

const ctx = contextOf();
const RFC3339 = /^\d{4}-\d\d-\d\dT\d\d:\d\d:\d\dZ$/;

// biome-ignore lint/suspicious/noExplicitAny: the tests walk the wire shape freely.
const wire = (o: Parameters<typeof toKubernetes>[0], c = ctx): any => toKubernetes(o, c);

describe("metadata, for every kind", () => {
  it.each(ALL.map((o) => [o.kind, o] as const))("%s", (_kind, obj) => {
    const k = wire(obj);
    const def = kindDefinition(obj.kind);
    expect(k.apiVersion).toBe(def.apiVersion);
    expect(k.kind).toBe(def.apiKind);
    expect(k.metadata.uid).toBe(obj.id);
    expect(k.metadata.name).toBe(obj.name);
    expect(k.metadata.resourceVersion).toBe(String(obj.resourceVersion));
    expect(typeof k.metadata.resourceVersion).toBe("string");
    expect(k.metadata.creationTimestamp).toMatch(RFC3339);
    expect(k.metadata.generation).toBe(obj.generation);
    expect("namespace" in k.metadata).toBe(def.namespaced);
    // The owner is no field on the wire (a tenant's Quota has the tenant's id as its uid, by design).
    if (obj.kind !== "Quota") expect(JSON.stringify(k)).not.toContain("tenant-a");
    // Plain JSON: no undefined left behind, nothing that does not survive a round trip.
    expect(JSON.parse(JSON.stringify(k))).toEqual(k);
  });

  it("RFC 3339 in UTC, whole seconds", () => {
    expect(rfc3339(T0)).toBe("2026-12-02T00:00:00Z");
    expect(rfc3339(T0 + 1999)).toBe("2026-12-02T00:00:02Z");
  });

  it("deletionTimestamp and finalizers when set; empty maps omitted", () => {
    const p = pod("p-9", "web-5d8f7c-zzzzz", true, { deletionTimestamp: T0 + 90_000, deletionGraceMs: 30_000 });
    const k = wire({ ...p, finalizers: ["example.com/hold"] });
    expect(k.metadata.deletionTimestamp).toBe("2026-12-02T00:01:30Z");
    expect(k.metadata.deletionGracePeriodSeconds).toBe(30);
    expect(k.metadata.finalizers).toEqual(["example.com/hold"]);
    expect(wire(namespace).metadata.annotations).toBeUndefined();
  });
});

describe("Pod", () => {
  it("is owned by its replica set, carries pod-template-hash and spec.nodeName", () => {
    const k = wire(pods[0] ?? pod("x", "x", true));
    expect(k.metadata.ownerReferences).toEqual([
      {
        apiVersion: "apps/v1",
        kind: "ReplicaSet",
        name: "web-5d8f7c",
        uid: "rs-1",
        controller: true,
        blockOwnerDeletion: true,
      },
    ]);
    expect(k.metadata.generateName).toBe("web-5d8f7c-");
    expect(k.metadata.labels).toEqual({ app: "web", "pod-template-hash": "5d8f7c" });
    expect(k.spec.nodeName).toBe("general-abcde");
    expect(k.spec.containers[0]).toMatchObject({ name: "web", image: "nginx:1.27", imagePullPolicy: "IfNotPresent" });
    expect(k.status.phase).toBe("Running");
    expect(k.status.startTime).toBe("2026-12-02T00:00:01Z");
  });

  it("states conditions and container states with RFC 3339 times", () => {
    const [ready, crashing] = pods.map((p) => wire(p));
    expect(ready.status.conditions).toContainEqual({
      type: "Ready",
      status: "True",
      lastProbeTime: null,
      lastTransitionTime: "2026-12-02T00:00:09Z",
    });
    expect(ready.status.containerStatuses[0].state).toEqual({ running: { startedAt: "2026-12-02T00:00:08Z" } });
    expect(crashing.status.containerStatuses[0]).toMatchObject({
      ready: false,
      restartCount: 4,
      state: { waiting: { reason: "CrashLoopBackOff" } },
    });
  });

  it("adds pod-template-hash for a pod stored before labels carried it; names a gone owner from the pod's name", () => {
    const old = pod("p-3", "web-5d8f7c-ccccc", true, { labels: { app: "web" } });
    const k = wire(old, contextOf(undefined, ["ReplicaSet"]));
    expect(k.metadata.labels["pod-template-hash"]).toBe("5d8f7c");
    expect(k.metadata.ownerReferences[0]).toMatchObject({ name: "web-5d8f7c", uid: "rs-1" });
  });

  it("prints READY, STATUS and RESTARTS as kubectl does", () => {
    const def = kindDefinition("Pod");
    const cells = (p: (typeof pods)[number]) => def.printerColumns.map((c) => c.cell(p, ctx));
    expect(cells(pods[0] ?? pod("x", "x", true))).toEqual([
      "web-5d8f7c-aaaaa",
      "1/1",
      "Running",
      "0",
      "2m10s",
      "<none>",
      "general-abcde",
      "<none>",
      "<none>",
    ]);
    expect(cells(pods[1] ?? pod("x", "x", true)).slice(1, 4)).toEqual(["0/1", "CrashLoopBackOff", "4"]);
    const terminating = pod("p-4", "web-5d8f7c-ddddd", true, { deletionTimestamp: T0 });
    expect(def.printerColumns[2]?.cell(terminating, ctx)).toBe("Terminating");
  });
});

describe("Deployment", () => {
  it("has spec.selector, strategy.rollingUpdate, revision and change-cause annotations", () => {
    const k = wire(deployment);
    expect(k.spec.selector).toEqual({ matchLabels: { app: "web" } });
    expect(k.spec.strategy).toEqual({ type: "RollingUpdate", rollingUpdate: { maxSurge: "25%", maxUnavailable: 1 } });
    expect(k.spec.template.metadata.labels).toEqual({ app: "web" });
    expect(k.metadata.annotations).toEqual({
      "deployment.kubernetes.io/revision": "3",
      "kubernetes.io/change-cause": "image set to nginx:1.27",
    });
    expect(k.metadata.generation).toBe(2);
    expect(k.status.observedGeneration).toBe(2);
    expect(k.status.conditions[0]).toMatchObject({
      type: "Available",
      lastUpdateTime: "2026-12-02T00:00:05Z",
      lastTransitionTime: "2026-12-02T00:00:05Z",
    });
    expect(labelSelectorObjectMatcher(k.spec.selector)(k.spec.template.metadata.labels)).toBe(true);
  });

  it("defaults spec.selector from the template's labels for a deployment stored without one", () => {
    const { selector: _, ...spec } = deployment.spec;
    const legacy = { ...deployment, spec } as unknown as typeof deployment;
    expect(wire(legacy).spec.selector).toEqual({ matchLabels: { app: "web" } });
    expect(kindDefinition("Deployment").printerColumns.at(-1)?.cell(legacy, ctx)).toBe("app=web");
    expect(wire({ ...replicaSet, deploymentId: legacy.id }, contextOf()).spec.selector.matchLabels).toMatchObject({
      app: "web",
    });
  });

  it("prints READY UP-TO-DATE AVAILABLE AGE, wide CONTAINERS IMAGES SELECTOR", () => {
    const def = kindDefinition("Deployment");
    expect(def.printerColumns.map((c) => c.cell(deployment, ctx))).toEqual([
      "web",
      "1/2",
      "2",
      "1",
      "2m10s",
      "web",
      "nginx:1.27",
      "app=web",
    ]);
  });
});

describe("ReplicaSet", () => {
  it("is owned by its deployment and carries the revision annotation and pod-template-hash", () => {
    const k = wire(replicaSet);
    expect(k.metadata.ownerReferences).toEqual([
      {
        apiVersion: "apps/v1",
        kind: "Deployment",
        name: "web",
        uid: "d-1",
        controller: true,
        blockOwnerDeletion: true,
      },
    ]);
    expect(k.metadata.annotations).toMatchObject({
      "deployment.kubernetes.io/revision": "3",
      "deployment.kubernetes.io/desired-replicas": "2",
      "deployment.kubernetes.io/max-replicas": "3",
    });
    expect(k.metadata.labels).toEqual({ app: "web", "pod-template-hash": "5d8f7c" });
    expect(k.spec.selector).toEqual({ matchLabels: { app: "web", "pod-template-hash": "5d8f7c" } });
    expect(k.spec.template.metadata.labels["pod-template-hash"]).toBe("5d8f7c");
    // Counted from its pods: two active, one ready.
    expect(k.status).toEqual({
      replicas: 2,
      fullyLabeledReplicas: 2,
      readyReplicas: 1,
      availableReplicas: 1,
      observedGeneration: 1,
    });
  });

  it("prints DESIRED CURRENT READY AGE, wide CONTAINERS IMAGES SELECTOR", () => {
    const def = kindDefinition("ReplicaSet");
    expect(def.printerColumns.map((c) => c.cell(replicaSet, ctx))).toEqual([
      "web-5d8f7c",
      2,
      2,
      1,
      "2m10s",
      "web",
      "nginx:1.27",
      "app=web,pod-template-hash=5d8f7c",
    ]);
  });
});

describe("Node", () => {
  it("shows capacity and allocatable as quantities, Ready condition, unschedulable taint", () => {
    const k = wire(node);
    expect(k.status.capacity).toEqual({ cpu: "4", memory: "8Gi", pods: "110" });
    expect(k.status.allocatable).toEqual(k.status.capacity);
    expect(k.status.conditions).toEqual([
      {
        type: "Ready",
        status: "True",
        reason: "KubeletReady",
        message: "kubelet is posting ready status",
        lastHeartbeatTime: "2026-12-02T00:01:00Z",
        lastTransitionTime: "2026-12-02T00:00:52Z",
      },
    ]);
    expect(k.spec).toEqual({
      unschedulable: true,
      taints: [{ key: "node.kubernetes.io/unschedulable", effect: "NoSchedule" }],
    });
    expect(k.metadata.labels["kubernetes.io/hostname"]).toBe("general-abcde");
    expect(k.metadata.annotations["cloud.tenant.io/pool"]).toBe("general");
  });

  it("reads Unknown once heartbeats stopped, False while provisioning", () => {
    const lost = wire({ ...node, phase: "NotReady", notReadySince: T0 + 100_000 });
    expect(lost.status.conditions[0]).toMatchObject({ status: "Unknown", reason: "NodeStatusUnknown" });
    expect(wire({ ...node, phase: "Provisioning" }).status.conditions[0].status).toBe("False");
  });

  it("prints STATUS with SchedulingDisabled when cordoned", () => {
    const def = kindDefinition("Node");
    expect(def.printerColumns.slice(0, 5).map((c) => c.cell(node, ctx))).toEqual([
      "general-abcde",
      "Ready,SchedulingDisabled",
      "<none>",
      "2m10s",
      "v1.32.0",
    ]);
  });
});

describe("the other kinds", () => {
  it("Namespace: metadata.name label, phase, NAME STATUS AGE", () => {
    const k = wire(namespace);
    expect(k.metadata.labels).toEqual({ "kubernetes.io/metadata.name": "team-a" });
    expect(k.status).toEqual({ phase: "Active" });
    expect(kindDefinition("Namespace").printerColumns.map((c) => c.cell(namespace, ctx))).toEqual([
      "team-a",
      "Active",
      "2m10s",
    ]);
  });

  it("Namespace: the tenant's default mark stays off the wire", () => {
    const k = wire({ ...namespace, tenantDefault: true });
    expect(JSON.stringify(k)).not.toMatch(/tenantDefault|default/i);
    expect(k).toEqual(wire(namespace));
  });

  it("ResourceQuota: spec.hard as quantities and kubectl's REQUEST column", () => {
    const k = wire(resourceQuota);
    expect(k.spec.hard).toEqual({ cpu: "2", memory: "4Gi", pods: "10" });
    const withUsage = { ...ctx, namespaceUsage: () => ({ cpuMillis: 500, memoryBytes: 2 ** 30, pods: 3 }) };
    expect(wire(resourceQuota, withUsage).status.used).toEqual({ cpu: "500m", memory: "1Gi", pods: "3" });
    expect(kindDefinition("ResourceQuota").printerColumns[2]?.cell(resourceQuota, withUsage)).toBe(
      "cpu: 500m/2, memory: 1Gi/4Gi, pods: 3/10",
    );
  });

  it("TenantQuota and NodePool are served under the engine's group", () => {
    expect(wire(tenantQuota)).toMatchObject({
      apiVersion: "cloud.tenant.io/v1",
      kind: "TenantQuota",
      spec: { hard: { cpu: "8", nodes: "4" } },
    });
    expect(wire(pool).spec).toEqual({
      machineType: "4c8g",
      minSize: 1,
      maxSize: 5,
      warmPoolSize: 1,
      trimmedImage: true,
      staticIp: false,
    });
  });

  it("Event: involvedObject, timestamps, and LAST SEEN for a repeated event", () => {
    const k = wire(event);
    expect(k.involvedObject).toEqual({
      kind: "Pod",
      namespace: "team-a",
      name: "web-5d8f7c-bbbbb",
      uid: "p-2",
      apiVersion: "v1",
    });
    expect(k).toMatchObject({
      reason: "BackOff",
      type: "Warning",
      count: 3,
      firstTimestamp: "2026-12-02T00:00:10Z",
      lastTimestamp: "2026-12-02T00:01:10Z",
    });
    // The involved object's namespace and uid are its own, not the event's filing namespace.
    const aboutNode = { ...event, objectKind: "Node", objectName: "n-1", objectNamespace: undefined, objectUid: "n-1" };
    expect(wire(aboutNode).involvedObject).toEqual({ kind: "Node", name: "n-1", uid: "n-1", apiVersion: "v1" });
    expect(wire(aboutNode).metadata.namespace).toBe("team-a");
    const external = { ...event, objectNamespace: "team-b", objectUid: undefined };
    expect(wire(external).involvedObject).toEqual({
      kind: "Pod",
      namespace: "team-b",
      name: "web-5d8f7c-bbbbb",
      apiVersion: "v1",
    });
    const def = kindDefinition("Event");
    expect(def.printerColumns.filter((c) => c.priority === 0).map((c) => c.cell(event, ctx))).toEqual([
      "60s (x3 over 2m)",
      "Warning",
      "BackOff",
      "pod/web-5d8f7c-bbbbb",
      "Back-off restarting failed container web",
    ]);
  });
});
