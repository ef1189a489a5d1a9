import { describe, expect, it } from "vitest";
import { PatchError } from "./errors";
import type { JsonObject } from "./json";
import { schemaLookupFor } from "./merge-keys";
import { applyStrategicMergePatch } from "./strategic-merge";

const deploymentSchema = schemaLookupFor("apps/v1", "Deployment");
const podSpec = (obj: JsonObject) => (obj.spec as JsonObject & { template: { spec: JsonObject } }).template.spec;
const containers = (obj: JsonObject) => podSpec(obj).containers as JsonObject[];

function deployment(): JsonObject {
  return {
    apiVersion: "apps/v1",
    kind: "Deployment",
    metadata: { name: "web", namespace: "default", finalizers: ["a", "b", "c"] },
    spec: {
      replicas: 2,
      selector: { matchLabels: { app: "web" } },
      strategy: { type: "RollingUpdate", rollingUpdate: { maxSurge: "25%", maxUnavailable: "25%" } },
      template: {
        metadata: { labels: { app: "web" } },
        spec: {
          containers: [
            {
              name: "web",
              image: "nginx:1.27",
              ports: [{ containerPort: 80, protocol: "TCP" }],
              env: [
                { name: "A", value: "1" },
                { name: "B", value: "2" },
              ],
              volumeMounts: [{ name: "data", mountPath: "/data" }],
            },
            { name: "side", image: "busybox", args: ["sleep", "3600"] },
          ],
          volumes: [{ name: "data", emptyDir: {} }],
          tolerations: [{ key: "k", operator: "Exists" }],
        },
      },
    },
  };
}

const apply = (patch: unknown, doc = deployment()) => applyStrategicMergePatch(doc, patch, deploymentSchema);

function thrown(fn: () => unknown): PatchError {
  try {
    fn();
  } catch (error) {
    if (error instanceof PatchError) return error;
    throw error;
  }
  throw new Error("expected a PatchError");
}

describe("applyStrategicMergePatch with kubectl's patches", () => {
  it("kubectl set image changes one container's image and keeps the rest", () => {
    const doc = deployment();
    const out = apply({ spec: { template: { spec: { containers: [{ image: "nginx:1.28", name: "web" }] } } } }, doc);
    expect(containers(out).map((c) => [c.name, c.image])).toEqual([
      ["web", "nginx:1.28"],
      ["side", "busybox"],
    ]);
    expect(containers(out)[0]?.env).toEqual(containers(doc)[0]?.env);
    expect(doc).toEqual(deployment());
  });

  it("kubectl rollout restart adds the restartedAt annotation to the template", () => {
    const at = "2026-12-02T13:50:00Z";
    const out = apply({
      spec: { template: { metadata: { annotations: { "kubectl.kubernetes.io/restartedAt": at } } } },
    });
    expect(out).toHaveProperty(["spec", "template", "metadata"], {
      labels: { app: "web" },
      annotations: { "kubectl.kubernetes.io/restartedAt": at },
    });
  });

  it("kubectl rollout pause sets spec.paused and resume's null removes it", () => {
    const paused = apply({ spec: { paused: true } });
    expect(paused.spec).toMatchObject({ paused: true, replicas: 2 });
    const resumed = apply({ spec: { paused: null } }, paused);
    expect(resumed.spec).not.toHaveProperty("paused");
  });

  it("kubectl cordon and uncordon set and clear spec.unschedulable on a node", () => {
    const node: JsonObject = {
      apiVersion: "v1",
      kind: "Node",
      metadata: { name: "n1" },
      spec: { podCIDR: "10.0.0.0/24" },
    };
    const schema = schemaLookupFor("v1", "Node");
    const cordoned = applyStrategicMergePatch(node, { spec: { unschedulable: true } }, schema);
    expect(cordoned.spec).toEqual({ podCIDR: "10.0.0.0/24", unschedulable: true });
    expect(applyStrategicMergePatch(cordoned, { spec: { unschedulable: null } }, schema).spec).toEqual({
      podCIDR: "10.0.0.0/24",
    });
  });

  it("adds a container by name instead of replacing the list, new items first as upstream orders them", () => {
    const out = apply({ spec: { template: { spec: { containers: [{ name: "log", image: "fluentbit" }] } } } });
    expect(containers(out).map((c) => c.name)).toEqual(["log", "web", "side"]);
  });

  it("client-side apply: removes env B, adds C, keeps the order $setElementOrder gives", () => {
    // What kubectl apply sends when the file changes env [A, B] to [A, C] and bumps the image.
    const lastApplied = '{"apiVersion":"apps/v1","kind":"Deployment"}\n';
    const patch = {
      metadata: { annotations: { "kubectl.kubernetes.io/last-applied-configuration": lastApplied } },
      spec: {
        template: {
          spec: {
            "$setElementOrder/containers": [{ name: "web" }, { name: "side" }],
            containers: [
              {
                "$setElementOrder/env": [{ name: "A" }, { name: "C" }],
                env: [
                  { name: "C", value: "3" },
                  { $patch: "delete", name: "B" },
                ],
                image: "nginx:1.28",
                name: "web",
              },
            ],
          },
        },
      },
    };
    const out = apply(patch);
    expect(containers(out)[0]?.env).toEqual([
      { name: "A", value: "1" },
      { name: "C", value: "3" },
    ]);
    expect(containers(out).map((c) => c.name)).toEqual(["web", "side"]);
    expect(out).toHaveProperty(
      ["metadata", "annotations", "kubectl.kubernetes.io/last-applied-configuration"],
      lastApplied,
    );
    // Re-applying the same patch changes nothing (kubectl then prints "unchanged").
    expect(apply(patch, out)).toEqual(out);
  });

  it("$setElementOrder reorders containers and keeps server-only ones where they were", () => {
    const doc = deployment();
    podSpec(doc).containers = [...containers(doc), { name: "injected", image: "proxy" }];
    const out = apply(
      { spec: { template: { spec: { "$setElementOrder/containers": [{ name: "side" }, { name: "web" }] } } } },
      doc,
    );
    expect(containers(out).map((c) => c.name)).toEqual(["side", "web", "injected"]);
    expect(containers(out)[1]?.env).toHaveLength(2);
  });

  it("deletes a container with $patch: delete", () => {
    const out = apply({ spec: { template: { spec: { containers: [{ $patch: "delete", name: "side" }] } } } });
    expect(containers(out).map((c) => c.name)).toEqual(["web"]);
  });

  it("merges ports by containerPort, volumeMounts by mountPath, and replaces lists without a key", () => {
    const out = apply({
      spec: {
        template: {
          spec: {
            containers: [
              {
                name: "web",
                ports: [{ containerPort: 443, protocol: "TCP" }],
                volumeMounts: [{ name: "data", mountPath: "/data", readOnly: true }],
              },
              { name: "side", args: ["sleep", "60"] },
            ],
            tolerations: [{ key: "other", operator: "Exists" }],
          },
        },
      },
    });
    const [web, side] = containers(out);
    expect(web?.ports).toEqual([
      { containerPort: 443, protocol: "TCP" },
      { containerPort: 80, protocol: "TCP" },
    ]);
    expect(web?.volumeMounts).toEqual([{ name: "data", mountPath: "/data", readOnly: true }]);
    expect(side?.args).toEqual(["sleep", "60"]);
    expect(podSpec(out).tolerations).toEqual([{ key: "other", operator: "Exists" }]);
  });

  it("$retainKeys on spec.strategy drops rollingUpdate when apply switches to Recreate", () => {
    const out = apply({ spec: { strategy: { $retainKeys: ["type"], type: "Recreate" } } });
    expect((out.spec as JsonObject).strategy).toEqual({ type: "Recreate" });
  });

  it("$retainKeys on a volume swaps its source (volumes are merge,retainKeys)", () => {
    const out = apply({
      spec: {
        template: {
          spec: { volumes: [{ $retainKeys: ["configMap", "name"], configMap: { name: "cfg" }, name: "data" }] },
        },
      },
    });
    expect(podSpec(out).volumes).toEqual([{ name: "data", configMap: { name: "cfg" } }]);
  });

  it("refuses a key outside $retainKeys with 400", () => {
    const error = thrown(() => apply({ spec: { strategy: { $retainKeys: ["type"], type: "Recreate", x: 1 } } }));
    expect(error).toMatchObject({ status: 400, path: "spec.strategy" });
  });

  it("merges finalizers as a set and removes with $deleteFromPrimitiveList", () => {
    const out = apply({ metadata: { "$deleteFromPrimitiveList/finalizers": ["b"], finalizers: ["d", "a"] } });
    expect((out.metadata as JsonObject).finalizers).toEqual(["d", "a", "c"]);
  });

  it("$patch: replace replaces an object or a merging list whole", () => {
    const strategy = apply({ spec: { strategy: { $patch: "replace", type: "Recreate" } } });
    expect((strategy.spec as JsonObject).strategy).toEqual({ type: "Recreate" });
    const list = apply({
      spec: { template: { spec: { containers: [{ name: "only", image: "x" }, { $patch: "replace" }] } } },
    });
    expect(containers(list)).toEqual([{ name: "only", image: "x" }]);
  });

  it("strips directives and nulls from content that lands without a merge", () => {
    const out = apply({
      spec: {
        template: { spec: { initContainers: [{ name: "init", image: "x", command: null, $patch: "delete" }] } },
        minReadySeconds: { $patch: "replace", nested: { keep: 1, drop: null } },
        newList: [{ name: "n", value: null }],
      },
    });
    expect(podSpec(out).initContainers).toEqual([]);
    expect(out.spec).toMatchObject({ minReadySeconds: { nested: { keep: 1 } }, newList: [{ name: "n" }] });
  });

  it("answers 400 for malformed directives and a missing merge key", () => {
    const cases: unknown[] = [
      { spec: { template: { spec: { containers: [{ image: "no-name" }] } } } },
      { spec: { template: { spec: { containers: [{ $patch: "merge", name: "web" }] } } } },
      { spec: { template: { spec: { containers: [{ $patch: "bogus", name: "web" }] } } } },
      { spec: { strategy: { $patch: "bogus" } } },
      { metadata: { "$deleteFromPrimitiveList/finalizers": "b" } },
      { spec: { template: { spec: { "$setElementOrder/containers": "web" } } } },
      { spec: { template: { spec: { "$setElementOrder/containers": [{ image: "x" }] } } } },
      { spec: { template: { spec: { containers: [{ name: "web" }, "x"] } } } },
      [1],
    ];
    for (const patch of cases) expect(thrown(() => apply(patch)).status, JSON.stringify(patch)).toBe(400);
  });

  it("refuses a patch list out of $setElementOrder's order with 400", () => {
    const patch = {
      spec: {
        template: {
          spec: {
            "$setElementOrder/containers": [{ name: "web" }, { name: "side" }],
            containers: [{ name: "side" }, { name: "web" }],
          },
        },
      },
    };
    expect(thrown(() => apply(patch)).message).toMatch(/does not match its \$setElementOrder/);
  });

  it("refuses lists of lists with 422 and deleting the whole object", () => {
    const finalizers = { metadata: { finalizers: [["x"]] } };
    expect(thrown(() => apply(finalizers)).status).toBe(422);
    expect(thrown(() => apply({ $patch: "delete" })).status).toBe(422);
  });

  it("treats label keys holding dots as plain map keys", () => {
    const out = apply({ metadata: { labels: { "app.kubernetes.io/name": "web", "ownerReferences.x": "y" } } });
    expect((out.metadata as JsonObject).labels).toEqual({ "app.kubernetes.io/name": "web", "ownerReferences.x": "y" });
  });

  it("keeps a __proto__ key as data", () => {
    const cm: JsonObject = { apiVersion: "v1", kind: "ConfigMap", data: { a: "1" } };
    const out = applyStrategicMergePatch(
      cm,
      JSON.parse('{"data":{"__proto__":{"polluted":"yes"}}}'),
      schemaLookupFor("v1", "ConfigMap"),
    );
    expect(Object.keys(out.data as object)).toEqual(["a", "__proto__"]);
    expect(({} as Record<string, unknown>).polluted).toBeUndefined();
  });
});
