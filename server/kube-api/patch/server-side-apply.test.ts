import { describe, expect, it } from "vitest";
import { PatchError } from "./errors";
import type { JsonObject } from "./json";
import { updateManagedFields } from "./managed-fields";
import { applyConflictStatus, parseApplyPatch, serverSideApply } from "./server-side-apply";

const T0 = "2026-12-02T10:00:00Z";
const T1 = "2026-12-02T11:00:00Z";
const T2 = "2026-12-02T12:00:00Z";

function config(overrides: { replicas?: number; labels?: Record<string, string>; containers?: JsonObject[] } = {}) {
  return {
    apiVersion: "apps/v1",
    kind: "Deployment",
    metadata: { name: "web", namespace: "default", labels: overrides.labels ?? { app: "web" } },
    spec: {
      replicas: overrides.replicas ?? 2,
      selector: { matchLabels: { app: "web" } },
      template: {
        metadata: { labels: { app: "web" } },
        spec: {
          containers: overrides.containers ?? [{ name: "web", image: "nginx:1.27", ports: [{ containerPort: 80 }] }],
        },
      },
    },
  } satisfies JsonObject;
}

/** What the store holds after create: server-set metadata and a status the endpoint maintains. */
function stored(object: JsonObject): JsonObject {
  const metadata = object.metadata as JsonObject;
  return { ...object, metadata: { ...metadata, uid: "u1", resourceVersion: "7" }, status: { replicas: 2 } };
}

const apply = (live: JsonObject | undefined, applied: JsonObject, now = T0, force = false) =>
  serverSideApply(live, applied, { manager: "kubectl", now, force });

const containersOf = (obj: JsonObject) =>
  ((obj.spec as JsonObject).template as { spec: { containers: JsonObject[] } }).spec.containers;

describe("serverSideApply", () => {
  it("creates the object with one Apply entry encoded as Kubernetes writes FieldsV1", () => {
    const { object, managedFields, conflicts } = apply(undefined, config());
    expect(conflicts).toEqual([]);
    expect(object.spec).toEqual(config().spec);
    expect(managedFields).toEqual([
      {
        manager: "kubectl",
        operation: "Apply",
        apiVersion: "apps/v1",
        time: T0,
        fieldsType: "FieldsV1",
        fieldsV1: {
          "f:metadata": { "f:labels": { "f:app": {} } },
          "f:spec": {
            "f:replicas": {},
            "f:selector": {},
            "f:template": {
              "f:metadata": { "f:labels": { "f:app": {} } },
              "f:spec": {
                "f:containers": {
                  'k:{"name":"web"}': {
                    ".": {},
                    "f:image": {},
                    "f:name": {},
                    "f:ports": { 'k:{"containerPort":80,"protocol":"TCP"}': { ".": {}, "f:containerPort": {} } },
                  },
                },
              },
            },
          },
        },
      },
    ]);
    expect((object.metadata as JsonObject).managedFields).toEqual(managedFields);
  });

  it("re-applying the same configuration changes nothing, not even the entry's time", () => {
    const first = stored(apply(undefined, config()).object);
    const again = apply(first, config(), T1);
    expect(again.conflicts).toEqual([]);
    expect(again.object).toEqual(first);
  });

  it("removes fields the applier dropped from its configuration, keeps the server's", () => {
    const first = stored(apply(undefined, config({ labels: { app: "web", tier: "front" } })).object);
    const containers = [{ name: "web", image: "nginx:1.27" }];
    const next = apply(first, config({ containers }), T1).object;
    expect((next.metadata as JsonObject).labels).toEqual({ app: "web" });
    expect(containersOf(next)).toEqual(containers);
    expect(next.status).toEqual({ replicas: 2 });
    expect((next.metadata as JsonObject).uid).toBe("u1");
  });

  it("keeps a dropped field another manager also owns", () => {
    const first = stored(apply(undefined, config({ labels: { app: "web", tier: "front" } })).object);
    const other = serverSideApply(
      first,
      { apiVersion: "apps/v1", kind: "Deployment", metadata: { name: "web", labels: { tier: "front" } } },
      { manager: "ops", now: T1 },
    );
    expect(other.conflicts).toEqual([]);
    const next = apply(other.object, config(), T2).object;
    expect((next.metadata as JsonObject).labels).toEqual({ app: "web", tier: "front" });
  });

  it("after kubectl scale, applying other replicas conflicts on .spec.replicas the way Kubernetes reports it", () => {
    const created = stored(apply(undefined, config()).object);
    const scaledObject = { ...created, spec: { ...(created.spec as JsonObject), replicas: 5 } };
    const scaled = updateManagedFields(created, scaledObject, { manager: "kubectl", subresource: "scale", now: T1 });
    expect(scaled.managedFields.map((e) => [e.manager, e.operation, e.subresource, e.fieldsV1])).toContainEqual([
      "kubectl",
      "Update",
      "scale",
      { "f:spec": { "f:replicas": {} } },
    ]);

    const result = apply(scaled.object, config({ replicas: 2 }), T2);
    expect(result.conflicts).toEqual([
      { manager: '"kubectl" with subresource "scale" using apps/v1', field: ".spec.replicas" },
    ]);
    expect(result.object).toEqual(scaled.object);
    expect(applyConflictStatus(result.conflicts)).toEqual({
      message:
        'Apply failed with 1 conflict: conflict with "kubectl" with subresource "scale" using apps/v1: .spec.replicas',
      causes: [
        {
          type: "FieldManagerConflict",
          message: 'conflict with "kubectl" with subresource "scale" using apps/v1',
          field: ".spec.replicas",
        },
      ],
    });

    // Applying the value the other manager set is no conflict: the field is then shared.
    expect(apply(scaled.object, config({ replicas: 5 }), T2).conflicts).toEqual([]);

    // --force-conflicts moves the field to the applier; the scaler's now-empty entry disappears.
    const forced = apply(scaled.object, config({ replicas: 2 }), T2, true);
    expect(forced.conflicts).toEqual([]);
    expect((forced.object.spec as JsonObject).replicas).toBe(2);
    expect(forced.managedFields.map((e) => e.manager)).toEqual(["kubectl"]);
    expect(forced.managedFields[0]?.time).toBe(T2);
  });

  it("lists several conflicts grouped by manager, and names list items by key", () => {
    const created = stored(apply(undefined, config()).object);
    const edited = JSON.parse(JSON.stringify(created)) as JsonObject;
    containersOf(edited)[0] = { ...(containersOf(edited)[0] as JsonObject), image: "nginx:1.28" };
    (edited.spec as JsonObject).replicas = 3;
    const afterEdit = updateManagedFields(created, edited, { manager: "kubectl-edit", now: T1 }).object;
    const result = apply(
      afterEdit,
      config({ containers: [{ name: "web", image: "nginx:1.29", ports: [{ containerPort: 80 }] }], replicas: 4 }),
      T2,
    );
    expect(result.conflicts.map((c) => c.field)).toEqual([
      ".spec.replicas",
      '.spec.template.spec.containers[name="web"].image',
    ]);
    expect(applyConflictStatus(result.conflicts).message).toBe(
      'Apply failed with 2 conflicts: conflicts with "kubectl-edit" using apps/v1:\n- .spec.replicas\n- .spec.template.spec.containers[name="web"].image',
    );
  });

  it("attributes an object without managed fields to before-first-apply", () => {
    const legacy: JsonObject = {
      ...config({ replicas: 3 }),
      metadata: { name: "web", namespace: "default", uid: "u1" },
    };
    const result = apply(legacy, config({ replicas: 2 }), T1);
    expect(result.conflicts).toEqual([{ manager: '"before-first-apply" using apps/v1', field: ".spec.replicas" }]);
    const same = apply(legacy, config({ replicas: 3 }), T1);
    expect(same.conflicts).toEqual([]);
    expect(same.managedFields.map((e) => [e.manager, e.operation])).toEqual([
      ["kubectl", "Apply"],
      ["before-first-apply", "Update"],
    ]);
  });

  it("merges associative lists by key, keeping containers other managers added in place", () => {
    const created = stored(apply(undefined, config()).object);
    const injected = JSON.parse(JSON.stringify(created)) as JsonObject;
    containersOf(injected).push({ name: "proxy", image: "envoy" });
    const withProxy = updateManagedFields(created, injected, { manager: "injector", now: T1 }).object;
    const next = apply(
      withProxy,
      config({
        containers: [
          { name: "log", image: "fluentbit" },
          { name: "web", image: "nginx:1.28" },
        ],
      }),
      T2,
    ).object;
    expect(containersOf(next).map((c) => c.name)).toEqual(["log", "web", "proxy"]);
    expect(containersOf(next)[1]).toEqual({ name: "web", image: "nginx:1.28" });
  });

  it("ignores status in the configuration and refuses managedFields in it", () => {
    const created = stored(apply(undefined, config()).object);
    const next = apply(created, { ...config(), status: { replicas: 99 } }, T1).object;
    expect(next.status).toEqual({ replicas: 2 });
    const withManaged = { ...config(), metadata: { name: "web", managedFields: [] } };
    expect(() => apply(created, withManaged)).toThrow(/managedFields must be nil/);
  });

  it("answers 422 for list items without their key or with duplicate keys, 400 without a manager", () => {
    const status = (fn: () => unknown) => {
      try {
        fn();
      } catch (error) {
        return (error as PatchError).status;
      }
      return undefined;
    };
    expect(status(() => apply(undefined, config({ containers: [{ image: "x" }] })))).toBe(422);
    expect(status(() => apply(undefined, config({ containers: [{ name: "a" }, { name: "a" }] })))).toBe(422);
    expect(status(() => serverSideApply(undefined, config(), { manager: "", now: T0 }))).toBe(400);
  });
});

describe("serverSideApply after client-side apply (manager kubectl)", () => {
  const LAST = "kubectl.kubernetes.io/last-applied-configuration";
  function clientSideApplied(replicas: number): JsonObject {
    const cfg = config({ replicas: 2 });
    const object = JSON.parse(JSON.stringify(cfg)) as JsonObject;
    (object.metadata as JsonObject).annotations = { [LAST]: `${JSON.stringify(cfg)}\n` };
    const created = updateManagedFields(undefined, object, { manager: "kubectl-client-side-apply", now: T0 }).object;
    if (replicas === 2) return stored(created);
    const scaled = JSON.parse(JSON.stringify(created)) as JsonObject;
    (scaled.spec as JsonObject).replicas = replicas;
    return stored(updateManagedFields(created, scaled, { manager: "kubectl-scale", now: T1 }).object);
  }

  it("takes over fields the annotation shows were applied, and rewrites the annotation", () => {
    const result = apply(clientSideApplied(2), config({ replicas: 3 }), T2);
    expect(result.conflicts).toEqual([]);
    expect((result.object.spec as JsonObject).replicas).toBe(3);
    const annotation = ((result.object.metadata as JsonObject).annotations as Record<string, string>)[LAST] ?? "";
    expect(annotation.endsWith("\n")).toBe(true);
    expect(JSON.parse(annotation)).toMatchObject({ spec: { replicas: 3 } });
    expect(Object.keys(JSON.parse(annotation))).toEqual(["apiVersion", "kind", "metadata", "spec"]);
  });

  it("still conflicts on a field someone changed since the client-side apply", () => {
    const result = apply(clientSideApplied(5), config({ replicas: 3 }), T2);
    expect(result.conflicts).toEqual([{ manager: '"kubectl-scale" using apps/v1', field: ".spec.replicas" }]);
  });

  it("forgives nothing for another field manager", () => {
    const result = serverSideApply(clientSideApplied(2), config({ replicas: 3 }), { manager: "helm", now: T2 });
    expect(result.conflicts).toEqual([
      { manager: '"kubectl-client-side-apply" using apps/v1', field: ".spec.replicas" },
    ]);
  });
});

describe("parseApplyPatch", () => {
  it("reads JSON and YAML (1.1 booleans, as sigs.k8s.io/yaml does)", () => {
    expect(parseApplyPatch('{"kind":"ConfigMap"}')).toEqual({ kind: "ConfigMap" });
    expect(parseApplyPatch("kind: ConfigMap\ndata:\n  a: '1'\nflag: yes\n")).toEqual({
      kind: "ConfigMap",
      data: { a: "1" },
      flag: true,
    });
  });

  it("answers 400 for bad YAML, several documents, duplicate keys and non-objects", () => {
    for (const body of ["a: [1", "a: 1\n---\nb: 2\n", "a: 1\na: 2\n", "- 1\n", "3"]) {
      expect(() => parseApplyPatch(body), body).toThrow(PatchError);
    }
  });
});
