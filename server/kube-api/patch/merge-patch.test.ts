import { describe, expect, it } from "vitest";
import { applyMergePatch } from "./merge-patch";
import type { JsonObject } from "./json";

const deployment = (): JsonObject => ({
  metadata: { name: "web", labels: { app: "web", tier: "front" } },
  spec: { replicas: 2, template: { spec: { containers: [{ name: "web" }, { name: "side" }] } } },
});

describe("applyMergePatch", () => {
  it("applies kubectl scale's patch and leaves the input alone", () => {
    const doc = deployment();
    const out = applyMergePatch(doc, { spec: { replicas: 5 } });
    expect(out.spec).toMatchObject({
      replicas: 5,
      template: { spec: { containers: [{ name: "web" }, { name: "side" }] } },
    });
    expect(doc).toEqual(deployment());
    // No sharing with the input: mutating the output must not reach the original.
    (out.metadata as { labels: Record<string, string> }).labels.app = "x";
    expect(doc).toEqual(deployment());
  });

  it("adds, changes and deletes labels the way kubectl label does (null deletes)", () => {
    const out = applyMergePatch(deployment(), { metadata: { labels: { tier: null, env: "prod", app: "api" } } });
    expect(out.metadata).toEqual({ name: "web", labels: { app: "api", env: "prod" } });
  });

  it("replaces arrays whole and replaces scalars with objects", () => {
    const out = applyMergePatch(deployment(), {
      spec: { template: { spec: { containers: [{ name: "only" }] } }, replicas: { a: 1 } },
    });
    expect(out.spec).toEqual({ replicas: { a: 1 }, template: { spec: { containers: [{ name: "only" }] } } });
  });

  it("matches the RFC 7386 appendix examples that apply to objects", () => {
    const cases: [JsonObject, JsonObject, JsonObject][] = [
      [{ a: "b" }, { a: "c" }, { a: "c" }],
      [{ a: "b" }, { b: "c" }, { a: "b", b: "c" }],
      [{ a: "b" }, { a: null }, {}],
      [{ a: "b", b: "c" }, { a: null }, { b: "c" }],
      [{ a: ["b"] }, { a: "c" }, { a: "c" }],
      [{ a: "c" }, { a: ["b"] }, { a: ["b"] }],
      [{ a: { b: "c" } }, { a: { b: "d", c: null } }, { a: { b: "d" } }],
      [{ a: [{ b: "c" }] }, { a: [1] }, { a: [1] }],
      [{ e: null }, { a: 1 }, { e: null, a: 1 }],
      [{}, { a: { bb: { ccc: null } } }, { a: { bb: {} } }],
    ];
    for (const [doc, patch, want] of cases) expect(applyMergePatch(doc, patch)).toEqual(want);
  });

  it("keeps a __proto__ key as data, never as a prototype", () => {
    const out = applyMergePatch({ data: {} }, JSON.parse('{"data":{"__proto__":{"polluted":"yes"}}}'));
    expect(Object.keys(out.data as object)).toEqual(["__proto__"]);
    expect(({} as Record<string, unknown>).polluted).toBeUndefined();
    expect((out.data as Record<string, unknown>).polluted).toBeUndefined();
  });

  it("refuses a patch that is not an object with 400", () => {
    for (const patch of [null, [1], "x", 3])
      expect(() => applyMergePatch(deployment(), patch)).toThrow(/must be a JSON object/);
  });
});
