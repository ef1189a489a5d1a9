import { describe, expect, it } from "vitest";
import { rfc3339 } from "../kinds/kubernetes";
import { limitRangeToKubernetes } from "../kinds/limit-range";
import { columnDefinitions, rowCells } from "../kinds/printers";
import { findKindByResource, kindDefinition } from "../kinds/registry";
import { livePods, startHarness } from "../test-kit";
import type { CreateDeploymentInput } from "./deployment-commands";

const A = "tenant-a";
const B = "tenant-b";

async function world() {
  const h = await startHarness();
  await h.engine.ensureTenantNamespace(A, "acme");
  await h.engine.ensureTenantNamespace(B, "bravo");
  await h.engine.createNodePool(A, { name: "pool", machineType: "8c16g", minSize: 1, maxSize: 2 });
  await h.engine.settle();
  return h;
}

/** A raw container input: resources partly given, as a manifest has them. */
type Container = Record<string, unknown>;
const deployment = (name: string, containers: Container[], extra: Partial<CreateDeploymentInput> = {}) =>
  ({
    name,
    replicas: 1,
    template: {
      labels: { app: name },
      spec: { containers: containers.map((c, i) => ({ name: `c${i}`, image: "nginx:1.27", ...c })) },
    },
    ...extra,
  }) as CreateDeploymentInput;

const resourcesOf = (h: Awaited<ReturnType<typeof world>>, name: string) =>
  h.engine.getDeployment(A, name).spec.template.spec.containers.map((c) => c.resources);

describe("LimitRange", () => {
  it("fills the defaults into containers that give none, as Kubernetes' LimitRanger does", async () => {
    const h = await world();
    const lr = await h.engine.createLimitRange(A, {
      name: "defaults",
      limits: [{ type: "Container", default: { cpu: "500m", memory: "256Mi" }, defaultRequest: { cpu: "200m" } }],
    });
    // Stored with the API server's defaults: no defaultRequest for memory → the default limit.
    expect(lr.limits[0]).toMatchObject({
      default: { cpu: 500, memory: 256 * 2 ** 20 },
      defaultRequest: { cpu: 200, memory: 256 * 2 ** 20 },
    });
    await h.engine.createDeployment(
      A,
      deployment("web", [
        {},
        { resources: { requests: { cpu: "300m" } } },
        { resources: { limits: { cpu: "400m" } } },
        { resources: { requests: { cpu: "100m", memory: "64Mi" }, limits: { cpu: "1", memory: "128Mi" } } },
      ]),
    );
    expect(resourcesOf(h, "web")).toEqual([
      // Nothing given: the default limit, the default request (memory: the default limit).
      { requests: { cpu: "200m", memory: "256Mi" }, limits: { cpu: "500m", memory: "256Mi" } },
      // A request given is kept; the limit it lacks is the default.
      { requests: { cpu: "300m", memory: "256Mi" }, limits: { cpu: "500m", memory: "256Mi" } },
      // A limit given without a request: the request is that limit (pod defaulting runs first).
      { requests: { cpu: "400m", memory: "256Mi" }, limits: { cpu: "400m", memory: "256Mi" } },
      // Everything given: untouched.
      { requests: { cpu: "100m", memory: "64Mi" }, limits: { cpu: "1", memory: "128Mi" } },
    ]);
    await h.engine.settle();
    const pods = livePods(h.engine, A, "web");
    expect(pods).toHaveLength(1);
    // The pod's requests (what the scheduler and quota count) are the defaulted ones.
    expect(pods[0]?.requests).toEqual({ cpuMillis: 200 + 300 + 400 + 100, memoryBytes: (3 * 256 + 64) * 2 ** 20 });

    // An update's template gets the defaults too; a scale keeps the template as it is.
    await h.engine.updateDeployment(A, "web", {
      template: { spec: { containers: [{ name: "app", image: "nginx:1.28" }] } },
    });
    expect(resourcesOf(h, "web")).toEqual([
      { requests: { cpu: "200m", memory: "256Mi" }, limits: { cpu: "500m", memory: "256Mi" } },
    ]);
  });

  it("leaves a namespace without LimitRanges, and what exists before one is made, as they were", async () => {
    const h = await world();
    await h.engine.createDeployment(A, deployment("old", [{}]));
    const before = h.engine.getDeployment(A, "old");
    expect(resourcesOf(h, "old")).toEqual([{ requests: { cpu: "100m", memory: "128Mi" }, limits: {} }]);
    await h.engine.settle();
    const podsBefore = livePods(h.engine, A, "old");
    await h.engine.createLimitRange(A, { name: "lr", limits: [{ type: "Container", max: { cpu: "1" } }] });
    await h.engine.scaleDeployment(A, "old", 2);
    await h.engine.settle();
    const after = h.engine.getDeployment(A, "old");
    expect(after.spec.template).toEqual(before.spec.template);
    const podsAfter = livePods(h.engine, A, "old");
    expect(podsAfter).toHaveLength(2);
    for (const p of podsBefore) expect(podsAfter.find((q) => q.id === p.id)?.spec).toBe(p.spec);
    // A template admitted before is not judged again: a restart re-uses it (no limit, though max is 1).
    const restarted = await h.engine.restartDeployment(A, "old");
    expect(restarted.spec.template.spec).toEqual(before.spec.template.spec);
    // A template the caller writes is: the same container without a limit now gets the default, 1.
    const updated = await h.engine.updateDeployment(A, "old", {
      template: { spec: { containers: [{ name: "c0", image: "nginx:1.27" }] } },
    });
    expect(updated.spec.template.spec.containers[0]?.resources).toEqual({
      requests: { cpu: "1", memory: "128Mi" },
      limits: { cpu: "1" },
    });
  });

  it("refuses containers outside min/max with Kubernetes' message, and creates nothing", async () => {
    const h = await world();
    await h.engine.createLimitRange(A, {
      name: "bounds",
      limits: [{ type: "Container", max: { cpu: "1" }, min: { memory: "64Mi" } }],
    });
    await expect(
      h.engine.createDeployment(A, deployment("big", [{ resources: { limits: { cpu: "2" } } }])),
    ).rejects.toMatchObject({
      code: "INVALID",
      message: 'pods "big-" is forbidden: maximum cpu usage per Container is 1, but limit is 2',
    });
    await expect(
      h.engine.createDeployment(
        A,
        deployment("small", [{ resources: { requests: { cpu: "100m", memory: "32Mi" }, limits: { cpu: "1" } } }]),
      ),
    ).rejects.toMatchObject({
      message: expect.stringContaining("minimum memory usage per Container is 64Mi, but request is 32Mi"),
    });
    // Several problems at once: all of them, as Kubernetes aggregates them.
    await expect(
      h.engine.createDeployment(
        A,
        deployment("both", [{ resources: { requests: { cpu: "1500m", memory: "32Mi" }, limits: { cpu: "2" } } }]),
      ),
    ).rejects.toMatchObject({
      message:
        'pods "both-" is forbidden: [minimum memory usage per Container is 64Mi, but request is 32Mi, maximum cpu usage per Container is 1, but limit is 2]',
    });
    expect(h.engine.listDeployments(A).items).toEqual([]);
    await h.engine.settle();
    expect(livePods(h.engine, A)).toEqual([]);

    // Within bounds (the max is also the default limit and request): admitted.
    const ok = await h.engine.createDeployment(A, deployment("ok", [{}]));
    expect(ok.spec.template.spec.containers[0]?.resources).toEqual({
      requests: { cpu: "1", memory: "64Mi" },
      limits: { cpu: "1" },
    });
    // An update that breaks them is refused and changes nothing.
    await expect(
      h.engine.updateDeployment(A, "ok", {
        template: { spec: { containers: [{ name: "c0", image: "nginx:1.27", resources: { limits: { cpu: "3" } } }] } },
      }),
    ).rejects.toMatchObject({
      message: expect.stringContaining("maximum cpu usage per Container is 1, but limit is 3"),
    });
    expect(h.engine.getDeployment(A, "ok").spec.template).toEqual(ok.spec.template);
  });

  it("refuses a limit-to-request ratio above the maximum", async () => {
    const h = await world();
    await h.engine.createLimitRange(A, {
      name: "burst",
      limits: [{ type: "Container", maxLimitRequestRatio: { cpu: 2 } }],
    });
    await expect(
      h.engine.createDeployment(
        A,
        deployment("bursty", [{ resources: { requests: { cpu: "250m" }, limits: { cpu: "1" } } }]),
      ),
    ).rejects.toMatchObject({
      message:
        'pods "bursty-" is forbidden: cpu max limit to request ratio per Container is 2, but provided ratio is 4.000000',
    });
    await expect(h.engine.createDeployment(A, deployment("nolimit", [{}]))).rejects.toMatchObject({
      message: expect.stringContaining(
        "cpu max limit to request ratio per Container is 2, but no limit is specified or limit is 0",
      ),
    });
    const d = await h.engine.createDeployment(
      A,
      deployment("steady", [{ resources: { requests: { cpu: "500m" }, limits: { cpu: "1" } } }]),
    );
    expect(d.name).toBe("steady");
  });

  it("holds a Pod item against the sums over the pod's containers", async () => {
    const h = await world();
    await h.engine.createLimitRange(A, {
      name: "per-pod",
      limits: [{ type: "Pod", max: { cpu: "1", memory: "1Gi" } }],
    });
    const two = (cpu: string) => [
      { resources: { limits: { cpu, memory: "256Mi" } } },
      { resources: { limits: { cpu, memory: "256Mi" } } },
    ];
    await expect(h.engine.createDeployment(A, deployment("fat", two("600m")))).rejects.toMatchObject({
      message: 'pods "fat-" is forbidden: maximum cpu usage per Pod is 1, but limit is 1200m',
    });
    await h.engine.createDeployment(A, deployment("lean", two("500m")));
    // A Pod item gives no defaults: a container without a limit leaves the pod without one.
    await expect(h.engine.createDeployment(A, deployment("unbounded", [{}]))).rejects.toMatchObject({
      message: expect.stringContaining("maximum cpu usage per Pod is 1.  No limit is specified"),
    });
    expect(h.engine.listDeployments(A).items.map((d) => d.name)).toEqual(["lean"]);
  });

  it("refuses a LimitRange inconsistent with itself, as Kubernetes validates it", async () => {
    const h = await world();
    await expect(
      h.engine.createLimitRange(A, {
        name: "bad",
        limits: [{ type: "Container", max: { cpu: "1" }, default: { cpu: "2" } }],
      }),
    ).rejects.toMatchObject({
      code: "INVALID",
      message: expect.stringContaining(
        'spec.limits[0].default[cpu]: Invalid value: "1": default value 2 is greater than max value 1',
      ),
    });
    const refused: [unknown, string][] = [
      [
        [{ type: "Container", min: { memory: "1Gi" }, max: { memory: "512Mi" } }],
        "min value 1Gi is greater than max value 512Mi",
      ],
      [
        [{ type: "Container", default: { cpu: "1" }, defaultRequest: { cpu: "2" } }],
        "default request value 2 is greater than default limit value 1",
      ],
      [[{ type: "Container", maxLimitRequestRatio: { cpu: "0.5" } }], "ratio 500m is less than 1"],
      [
        [{ type: "Pod", default: { cpu: "1" } }],
        "spec.limits[0].default: Forbidden: may not be specified when `type` is 'Pod'",
      ],
      [[{ type: "Container" }, { type: "Container" }], 'spec.limits[1].type: Duplicate value: "Container"'],
      [[{ type: "Container", max: { "ephemeral-storage": "1Gi" } }], 'Unsupported value: "ephemeral-storage"'],
      [[{ type: "Node", max: { cpu: "1" } }], 'spec.limits[0].type: Unsupported value: "Node"'],
      [[{ type: "Container", max: { cpu: "lots" } }], 'spec.limits[0].max[cpu]: "lots" is not a CPU quantity'],
      [[{ type: "PersistentVolumeClaim", max: {} }], "either minimum or maximum storage value is required"],
    ];
    for (const [limits, message] of refused)
      await expect(h.engine.createLimitRange(A, { name: "bad", limits } as never), message).rejects.toMatchObject({
        code: "INVALID",
        message: expect.stringContaining(message),
      });
    expect(h.engine.listLimitRanges(A).items).toEqual([]);
    // A PersistentVolumeClaim item is kept (and shown) though it has no effect yet.
    const pvc = await h.engine.createLimitRange(A, {
      name: "storage",
      limits: [{ type: "PersistentVolumeClaim", min: { storage: "1Gi" }, max: { storage: "10G" } }],
    });
    expect(limitRangeToKubernetes(pvc).spec).toEqual({
      limits: [{ type: "PersistentVolumeClaim", min: { storage: "1Gi" }, max: { storage: "10G" } }],
    });
  });

  it("is replaced with a resourceVersion precondition and deleted, as Kubernetes answers", async () => {
    const h = await world();
    const lr = await h.engine.createLimitRange(A, { name: "lr", limits: [{ type: "Container", max: { cpu: "2" } }] });
    await expect(h.engine.createLimitRange(A, { name: "lr" })).rejects.toMatchObject({
      code: "CONFLICT",
      message: 'limitranges "lr" already exists',
    });
    await expect(h.engine.createLimitRange(A, { name: "x", resourceVersion: 1 })).rejects.toMatchObject({
      code: "INVALID",
    });
    const next = await h.engine.replaceLimitRange(A, {
      name: "lr",
      labels: { team: "a" },
      limits: [{ type: "Container", max: { cpu: "1" } }],
      resourceVersion: lr.resourceVersion,
    });
    expect(next.resourceVersion).toBeGreaterThan(lr.resourceVersion);
    expect(next.generation).toBe(2);
    expect(next.labels).toEqual({ team: "a" });
    await expect(
      h.engine.replaceLimitRange(A, { name: "lr", limits: [], resourceVersion: lr.resourceVersion }),
    ).rejects.toMatchObject({
      code: "CONFLICT",
      message: expect.stringContaining('Operation cannot be fulfilled on limitranges "lr"'),
    });
    expect(h.engine.getLimitRange(A, "lr").limits).toEqual(next.limits);
    await expect(h.engine.deleteLimitRange(A, "lr", { resourceVersion: lr.resourceVersion })).rejects.toMatchObject({
      code: "CONFLICT",
    });
    await h.engine.deleteLimitRange(A, "lr", { resourceVersion: next.resourceVersion });
    await expect(h.engine.replaceLimitRange(A, { name: "lr" })).rejects.toMatchObject({ code: "NOT_FOUND" });
    // Without it the namespace admits anything again.
    await h.engine.createDeployment(A, deployment("big", [{ resources: { limits: { cpu: "4" } } }]));
  });

  it("stays in its tenant and goes with its namespace", async () => {
    const h = await world();
    await h.engine.createNamespace(A, { name: "acme-dev" });
    await h.engine.createLimitRange(A, {
      namespace: "acme-dev",
      name: "lr",
      limits: [{ type: "Container", max: { cpu: "1" } }],
    });
    // Another tenant cannot read, write, delete or list it, nor create in that namespace.
    expect(() => h.engine.getLimitRange(B, "lr", { namespace: "acme-dev" })).toThrow(
      expect.objectContaining({ code: "NOT_FOUND" }),
    );
    await expect(
      h.engine.replaceLimitRange(B, { namespace: "acme-dev", name: "lr", limits: [] }),
    ).rejects.toMatchObject({ code: "NOT_FOUND" });
    await expect(h.engine.deleteLimitRange(B, "lr", { namespace: "acme-dev" })).rejects.toMatchObject({
      code: "NOT_FOUND",
    });
    await expect(h.engine.createLimitRange(B, { namespace: "acme-dev", name: "mine" })).rejects.toMatchObject({
      code: "NOT_FOUND",
    });
    expect(() => h.engine.listLimitRanges(B, { namespace: "acme-dev" })).toThrow(
      expect.objectContaining({ code: "NOT_FOUND" }),
    );
    expect(h.engine.listLimitRanges(B).items).toEqual([]);
    // Nor is B's own default namespace bound by it; A's other namespace is not either.
    await h.engine.createDeployment(B, deployment("big", [{ resources: { limits: { cpu: "4" } } }]));
    await h.engine.createDeployment(A, deployment("big", [{ resources: { limits: { cpu: "4" } } }]));
    await expect(
      h.engine.createDeployment(
        A,
        deployment("big", [{ resources: { limits: { cpu: "4" } } }], { namespace: "acme-dev" }),
      ),
    ).rejects.toMatchObject({ message: expect.stringContaining("maximum cpu usage per Container is 1") });
    expect(h.engine.listLimitRanges(A).items.map((l) => `${l.namespace}/${l.name}`)).toEqual(["acme-dev/lr"]);

    await h.engine.deleteNamespace(A, "acme-dev");
    await h.engine.settle();
    expect(h.engine.listLimitRanges(A).items).toEqual([]);
  });

  it("converts to v1 LimitRange with quantities and kubectl's columns", async () => {
    const h = await world();
    const lr = await h.engine.createLimitRange(A, {
      name: "mem",
      limits: [
        { type: "Pod", max: { cpu: "4", memory: "8Gi" } },
        {
          type: "Container",
          min: { cpu: "50m", memory: "64Mi" },
          max: { cpu: 2, memory: "1G" },
          defaultRequest: { cpu: "0.1" },
          maxLimitRequestRatio: { cpu: "4", memory: "1.5" },
        },
      ],
    });
    const k = limitRangeToKubernetes(lr);
    expect(k).toMatchObject({
      apiVersion: "v1",
      kind: "LimitRange",
      metadata: { name: "mem", namespace: "acme", uid: lr.id, resourceVersion: String(lr.resourceVersion) },
    });
    expect(k.spec).toEqual({
      limits: [
        { type: "Pod", max: { cpu: "4", memory: "8Gi" } },
        {
          type: "Container",
          min: { cpu: "50m", memory: "64Mi" },
          max: { cpu: "2", memory: "1G" },
          // Filled in as the API server does: default ← max, defaultRequest ← given, else default.
          default: { cpu: "2", memory: "1G" },
          defaultRequest: { cpu: "100m", memory: "1G" },
          maxLimitRequestRatio: { cpu: "4", memory: "1500m" },
        },
      ],
    });
    expect(findKindByResource("limits")?.kind).toBe("LimitRange");
    expect(findKindByResource("limitranges")?.kind).toBe("LimitRange");
    expect(columnDefinitions(kindDefinition("LimitRange")).map((c) => c.name)).toEqual(["Name", "Created At"]);
    const ctx = { get: () => undefined, now: () => h.clock.now() };
    expect(rowCells(kindDefinition("LimitRange"), lr, ctx)).toEqual(["mem", rfc3339(lr.createdAt)]);
  });
});
