import { describe, expect, it } from "vitest";
import { changedMeanwhile, editPatch, mergePatchBetween, originalOf } from "./manifest-edit";

describe("an edit as a merge patch", () => {
  it("writes changed keys, nulls removed ones, replaces lists whole and keeps odd keys own", () => {
    const from = { a: 1, b: { c: 2, d: 3 }, list: [1, 2], gone: "x" };
    const to = JSON.parse('{"a":1,"b":{"c":2,"d":4},"list":[1,2,3],"__proto__":"k"}');
    const patch = mergePatchBetween(from, to);
    expect(patch).toEqual(JSON.parse('{"b":{"d":4},"list":[1,2,3],"gone":null,"__proto__":"k"}'));
    expect(Object.getPrototypeOf(patch)).toBe(Object.prototype);
  });

  it("leaves the loaded resourceVersion out, and nothing changed is an empty patch", () => {
    const loaded = { metadata: { name: "web", resourceVersion: "7" }, spec: { replicas: 1 } };
    expect(editPatch(loaded, { metadata: { name: "web" }, spec: { replicas: 1 } })).toEqual({});
    expect(editPatch(loaded, { ...loaded, spec: { replicas: 2 } })).toEqual({ spec: { replicas: 2 } });
  });

  it("names the fields written that changed live since they were loaded, and only those", () => {
    const loaded = { metadata: { labels: { app: "web" } }, spec: { replicas: 1, paused: false } };
    const live = { metadata: { labels: { app: "web", team: "a" } }, spec: { replicas: 3, paused: false } };
    expect(changedMeanwhile({ spec: { paused: true } }, loaded, live)).toEqual([]);
    expect(changedMeanwhile({ metadata: { labels: { tier: "x" } } }, loaded, live)).toEqual([]);
    expect(changedMeanwhile({ spec: { replicas: 2 } }, loaded, live)).toEqual(["spec.replicas"]);
  });

  it("pairs an edited document with the loaded one of the same object only", () => {
    const a = { apiVersion: "v1", kind: "ConfigMap", metadata: { name: "a", namespace: "n" } };
    const b = { apiVersion: "v1", kind: "ConfigMap", metadata: { name: "b", namespace: "n" } };
    expect(originalOf({ ...a, data: { x: "1" } }, [b, a])).toBe(a);
    expect(originalOf({ ...a, metadata: { name: "a", namespace: "other" } }, [a, b])).toBeUndefined();
  });
});
