import { describe, expect, it } from "vitest";
import { PatchError } from "./errors";
import { applyJsonPatch } from "./json-patch";
import type { JsonObject } from "./json";

const deployment = (): JsonObject => ({
  apiVersion: "apps/v1",
  kind: "Deployment",
  metadata: { name: "web", annotations: { "deployment.kubernetes.io/revision": "2" } },
  spec: { replicas: 2, template: { spec: { containers: [{ name: "web", image: "nginx:1.27" }] } } },
});

function thrown(fn: () => unknown): PatchError {
  try {
    fn();
  } catch (error) {
    if (error instanceof PatchError) return error;
    throw error;
  }
  throw new Error("expected a PatchError");
}

describe("applyJsonPatch", () => {
  it("applies kubectl rollout undo's replace of the template and annotations without touching the input", () => {
    const doc = deployment();
    const template = { spec: { containers: [{ name: "web", image: "nginx:1.26" }] } };
    const ops = [
      { op: "replace", path: "/spec/template", value: template },
      { op: "replace", path: "/metadata/annotations", value: { "deployment.kubernetes.io/revision": "1" } },
    ];
    const out = applyJsonPatch(doc, ops);
    expect(out.spec).toEqual({ replicas: 2, template });
    expect(out.metadata).toEqual({ name: "web", annotations: { "deployment.kubernetes.io/revision": "1" } });
    expect(doc).toEqual(deployment());
    // The result shares nothing with the ops, so later edits to it cannot corrupt the request.
    (template.spec.containers[0] as { image: string }).image = "changed";
    expect(out).toHaveProperty(["spec", "template", "spec", "containers", 0, "image"], "nginx:1.26");
  });

  it("supports add (with - append), remove, move, copy and a passing test", () => {
    const out = applyJsonPatch(deployment(), [
      { op: "test", path: "/spec/replicas", value: 2 },
      { op: "add", path: "/spec/template/spec/containers/-", value: { name: "side", image: "busybox" } },
      { op: "copy", from: "/metadata/name", path: "/metadata/labels" },
      { op: "move", from: "/metadata/labels", path: "/metadata/generateName" },
      { op: "remove", path: "/metadata/annotations" },
      { op: "add", path: "/metadata/annotations", value: { "a~b/c": "x" } },
      { op: "test", path: "/metadata/annotations/a~0b~1c", value: "x" },
    ]);
    expect(out.metadata).toEqual({ name: "web", generateName: "web", annotations: { "a~b/c": "x" } });
    expect(out).toHaveProperty(["spec", "template", "spec", "containers", 1, "name"], "side");
  });

  it("answers 422 with the path when a test fails, and applies none of the patch", () => {
    const doc = deployment();
    const error = thrown(() =>
      applyJsonPatch(doc, [
        { op: "replace", path: "/spec/replicas", value: 5 },
        { op: "test", path: "/metadata/name", value: "api" },
      ]),
    );
    expect(error).toMatchObject({ status: 422, reason: "Invalid", path: "/metadata/name" });
    expect(error.message).toMatch(/test operation failed at path "\/metadata\/name"/);
    expect(doc).toEqual(deployment());
  });

  it("refuses remove or replace of a missing path with 422, as Kubernetes does", () => {
    expect(thrown(() => applyJsonPatch(deployment(), [{ op: "remove", path: "/spec/paused" }]))).toMatchObject({
      status: 422,
      path: "/spec/paused",
    });
    expect(
      thrown(() => applyJsonPatch(deployment(), [{ op: "replace", path: "/status/replicas", value: 1 }])).status,
    ).toBe(422);
    expect(thrown(() => applyJsonPatch(deployment(), [{ op: "add", path: "/status/x/y", value: 1 }])).message).toMatch(
      /parent does not exist/,
    );
  });

  it("refuses unknown ops, missing values and bad array indexes with 422", () => {
    expect(thrown(() => applyJsonPatch(deployment(), [{ op: "frobnicate", path: "/spec" }])).status).toBe(422);
    expect(thrown(() => applyJsonPatch(deployment(), [{ op: "add", path: "/spec/x" }])).status).toBe(422);
    const index = thrown(() =>
      applyJsonPatch(deployment(), [{ op: "add", path: "/spec/template/spec/containers/7", value: {} }]),
    );
    expect(index).toMatchObject({ status: 422, path: "/spec/template/spec/containers/7" });
  });

  it("answers 400 for a body that is not an array of operation objects", () => {
    expect(thrown(() => applyJsonPatch(deployment(), { op: "add" })).status).toBe(400);
    expect(thrown(() => applyJsonPatch(deployment(), [1])).status).toBe(400);
  });

  it("refuses more than 10,000 operations with 413", () => {
    const ops = Array.from({ length: 10_001 }, () => ({ op: "test", path: "/kind", value: "Deployment" }));
    expect(thrown(() => applyJsonPatch(deployment(), ops))).toMatchObject({ status: 413 });
  });

  it("refuses to replace the object with a non-object and to touch __proto__", () => {
    expect(thrown(() => applyJsonPatch(deployment(), [{ op: "replace", path: "", value: 3 }])).status).toBe(422);
    expect(() => applyJsonPatch(deployment(), [{ op: "add", path: "/__proto__/polluted", value: 1 }])).toThrow(
      PatchError,
    );
    expect(({} as Record<string, unknown>).polluted).toBeUndefined();
  });
});
