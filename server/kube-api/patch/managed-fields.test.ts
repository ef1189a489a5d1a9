import { describe, expect, it } from "vitest";
import { FieldSet, keyElement, pathToString, valueElement } from "./field-set";
import type { JsonObject } from "./json";
import { updateManagedFields } from "./managed-fields";

const T0 = "2026-12-02T10:00:00Z";
const T1 = "2026-12-02T11:00:00Z";

function deployment(image = "nginx:1.27"): JsonObject {
  return {
    apiVersion: "apps/v1",
    kind: "Deployment",
    metadata: { name: "web", namespace: "default", uid: "u1", labels: { app: "web" } },
    spec: {
      replicas: 1,
      selector: { matchLabels: { app: "web" } },
      template: { metadata: { labels: { app: "web" } }, spec: { containers: [{ name: "web", image }] } },
    },
    status: { replicas: 1 },
  };
}

const fieldsOf = (object: JsonObject, manager: string) =>
  ((object.metadata as JsonObject).managedFields as { manager: string; fieldsV1: JsonObject }[] | undefined)?.find(
    (e) => e.manager === manager,
  )?.fieldsV1;

describe("updateManagedFields", () => {
  it("records a create the way kube-apiserver does: '.' on maps and items it created, not on structs", () => {
    const { object, managedFields } = updateManagedFields(undefined, deployment(), {
      manager: "kubectl-create",
      now: T0,
    });
    expect(managedFields).toEqual([
      {
        manager: "kubectl-create",
        operation: "Update",
        apiVersion: "apps/v1",
        time: T0,
        fieldsType: "FieldsV1",
        fieldsV1: {
          "f:metadata": { "f:labels": { ".": {}, "f:app": {} } },
          "f:spec": {
            "f:replicas": {},
            "f:selector": {},
            "f:template": {
              "f:metadata": { "f:labels": { ".": {}, "f:app": {} } },
              "f:spec": { "f:containers": { 'k:{"name":"web"}': { ".": {}, "f:image": {}, "f:name": {} } } },
            },
          },
        },
      },
    ]);
    expect((object.metadata as JsonObject).managedFields).toEqual(managedFields);
  });

  it("moves what an update changes to its manager and drops what it removes", () => {
    const created = updateManagedFields(undefined, deployment(), { manager: "kubectl-create", now: T0 }).object;
    const edited = deployment("nginx:1.28");
    (edited.metadata as JsonObject).labels = {};
    (edited.metadata as JsonObject).managedFields = (created.metadata as JsonObject).managedFields ?? [];
    const { object } = updateManagedFields(created, edited, { manager: "kubectl-edit", now: T1 });
    expect(fieldsOf(object, "kubectl-edit")).toEqual({
      "f:spec": { "f:template": { "f:spec": { "f:containers": { 'k:{"name":"web"}': { "f:image": {} } } } } },
    });
    const creator = fieldsOf(object, "kubectl-create") as JsonObject;
    expect(creator["f:metadata"]).toEqual({ "f:labels": {} });
    expect(JSON.stringify(creator)).not.toContain("f:image");
  });

  it("leaves entries and their times alone when a write changes nothing", () => {
    const created = updateManagedFields(undefined, deployment(), { manager: "a", now: T0 }).object;
    const again = updateManagedFields(created, created, { manager: "b", now: T1 });
    expect(again.managedFields.map((e) => [e.manager, e.time])).toEqual([["a", T0]]);
  });

  it("does not start tracking an existing object that has no managed fields", () => {
    const { object, managedFields } = updateManagedFields(deployment(), deployment("x"), { manager: "a", now: T0 });
    expect(managedFields).toEqual([]);
    expect(object.metadata).not.toHaveProperty("managedFields");
  });

  it("takes managed fields a client sends, and [{}] as a reset", () => {
    const created = updateManagedFields(undefined, deployment(), { manager: "a", now: T0 }).object;
    const sent = { ...deployment(), metadata: { ...(deployment().metadata as JsonObject), managedFields: [{}] } };
    const reset = updateManagedFields(created, sent, { manager: "b", now: T1 });
    expect(reset.managedFields).toEqual([]);
    const custom = [
      {
        manager: "z",
        operation: "Update",
        apiVersion: "apps/v1",
        fieldsType: "FieldsV1",
        fieldsV1: { "f:spec": { "f:replicas": {} } },
      },
    ];
    const given = updateManagedFields(
      created,
      { ...deployment(), metadata: { name: "web", managedFields: custom } },
      { manager: "b", now: T1 },
    );
    expect(given.managedFields.map((e) => e.manager)).toEqual(["z"]);
  });

  it("through /status tracks only status, and ignores managed fields in the request", () => {
    const created = updateManagedFields(undefined, deployment(), { manager: "a", now: T0 }).object;
    const next = {
      ...created,
      status: { replicas: 1, readyReplicas: 1 },
      metadata: { ...(created.metadata as JsonObject), managedFields: [{}] },
    };
    const { managedFields } = updateManagedFields(created, next, {
      manager: "kube-controller-manager",
      subresource: "status",
      now: T1,
    });
    expect(managedFields.map((e) => [e.manager, e.subresource, e.fieldsV1])).toEqual([
      ["a", undefined, fieldsOf(created, "a")],
      ["kube-controller-manager", "status", { "f:status": { "f:readyReplicas": {} } }],
    ]);
  });
});

describe("updateManagedFields bookkeeping limits", () => {
  it("folds the oldest of more than 10 updaters into ancient-changes and stores times to the second", () => {
    let object = updateManagedFields(undefined, deployment(), {
      manager: "creator",
      now: "2026-12-02T00:00:00.250Z",
    }).object;
    expect(((object.metadata as JsonObject).managedFields as { time: string }[])[0]?.time).toBe("2026-12-02T00:00:00Z");
    for (let i = 1; i <= 11; i++) {
      const next = JSON.parse(JSON.stringify(object)) as JsonObject;
      (next.metadata as { labels: Record<string, string> }).labels[`l${i}`] = "x";
      object = updateManagedFields(object, next, {
        manager: `m${i}`,
        now: `2026-12-02T00:${String(i).padStart(2, "0")}:00Z`,
      }).object;
    }
    const managers = ((object.metadata as JsonObject).managedFields as { manager: string }[]).map((e) => e.manager);
    expect(managers).toHaveLength(10);
    expect(managers[0]).toBe("ancient-changes");
    expect(managers).not.toContain("creator");
    expect(managers).not.toContain("m1");
    expect(managers.at(-1)).toBe("m11");
  });
});

describe("FieldSet", () => {
  it("round-trips FieldsV1 and orders fields before keys before values, '.' first", () => {
    const fieldsV1 = {
      "f:metadata": { "f:finalizers": { ".": {}, 'v:"a"': {}, 'v:"b"': {} } },
      "f:spec": {
        "f:ports": { 'k:{"port":80,"protocol":"TCP"}': { ".": {}, "f:port": {} } },
        "f:z": {},
      },
    };
    const set = FieldSet.fromFieldsV1(fieldsV1);
    expect(set.size).toBe(6);
    expect(JSON.stringify(set.toFieldsV1())).toBe(JSON.stringify(fieldsV1));
    const shuffled = FieldSet.of([...set.paths()].reverse());
    expect(JSON.stringify(shuffled.toFieldsV1())).toBe(JSON.stringify(fieldsV1));
  });

  it("writes keys as Go does: sorted fields, HTML characters escaped", () => {
    expect(
      keyElement([
        ["protocol", "TCP"],
        ["containerPort", 80],
      ]),
    ).toBe('k:{"containerPort":80,"protocol":"TCP"}');
    expect(valueElement("a<b&c>")).toBe('v:"a\\u003cb\\u0026c\\u003e"');
  });

  it("prints paths as conflicts name them", () => {
    expect(pathToString(["f:spec", "f:containers", 'k:{"name":"web"}', "f:image"])).toBe(
      '.spec.containers[name="web"].image',
    );
    expect(pathToString(["f:metadata", "f:finalizers", 'v:"x"'])).toBe('.metadata.finalizers[="x"]');
    expect(pathToString(["f:ports", 'k:{"containerPort":80,"protocol":"TCP"}'])).toBe(
      '.ports[containerPort=80,protocol="TCP"]',
    );
  });

  it("refuses malformed path elements", () => {
    expect(() => FieldSet.fromFieldsV1({ "x:nope": {} })).toThrow(/invalid managedFields path element/);
    expect(() => FieldSet.fromFieldsV1({ "k:{bad": {} })).toThrow(/invalid managedFields path element/);
    expect(() => FieldSet.fromFieldsV1({ "f:a": 3 })).toThrow(/must be a JSON object/);
  });
});
