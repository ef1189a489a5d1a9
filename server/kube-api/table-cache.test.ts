import { gunzipSync } from "node:zlib";
import { describe, expect, it } from "vitest";
import { type AnyKindDefinition, type EngineObject, kindDefinition } from "../engine";
import { pods } from "../engine/kinds/fixtures.test-kit";
import { createTableCache, type TableListId } from "./table-cache";

const podDef = kindDefinition("Pod") as AnyKindDefinition;
const owner = {};
const many = (n: number): EngineObject[] =>
  Array.from(
    { length: n },
    (_, i) => ({ ...(pods[0] as EngineObject), id: `p-${i}`, name: `web-${i}` }) as EngineObject,
  );
const limits = { maxEntries: 3, maxBytes: 1_000, maxEntryBytes: 400, minBytes: 10 };
const body = (text: string) => Buffer.from(text) as Buffer<ArrayBuffer>;
const id = (over: Partial<TableListId> = {}): TableListId => ({
  owner,
  def: podDef,
  key: "tenant-a/ns",
  second: 5,
  ...over,
});

describe("table cache", () => {
  it("serves the kept bytes for the same objects (another array of them), at the same second", () => {
    const cache = createTableCache(limits);
    const objs = many(3);
    const kept = body("x".repeat(50));
    cache.keep(id(), objs, kept);
    expect(cache.find(id(), [...objs])?.body).toBe(kept);
    expect(cache.stats()).toMatchObject({ hits: 1, misses: 0, entries: 1, bytes: 50 });
  });

  it("misses on a changed, added or removed object, another key, second, engine or kind", () => {
    const cache = createTableCache(limits);
    const objs = many(3);
    cache.keep(id(), objs, body("x".repeat(50)));
    const changed = [objs[0], { ...(objs[1] as EngineObject) } as EngineObject, objs[2]] as EngineObject[];
    expect(cache.find(id(), changed)).toBeUndefined();
    expect(cache.find(id(), [...objs, ...many(1)])).toBeUndefined();
    expect(cache.find(id(), objs.slice(1))).toBeUndefined();
    expect(cache.find(id(), [objs[1], objs[0], objs[2]] as EngineObject[])).toBeUndefined();
    expect(cache.find(id({ key: "tenant-b/ns" }), objs)).toBeUndefined();
    expect(cache.find(id({ second: 6 }), objs)).toBeUndefined();
    expect(cache.find(id({ owner: {} }), objs)).toBeUndefined();
    expect(cache.find(id({ def: kindDefinition("ReplicaSet") as AnyKindDefinition }), objs)).toBeUndefined();
    expect(cache.stats()).toMatchObject({ hits: 0, misses: 8 });
    // A newer rendering of the same list replaces the entry.
    cache.keep(id(), changed, body("y".repeat(50)));
    expect(cache.find(id(), objs)).toBeUndefined();
    expect(cache.find(id(), changed)?.body.toString()).toBe("y".repeat(50));
    expect(cache.stats().entries).toBe(1);
  });

  it("keeps the gzip with the entry: compressed once, the same bytes after", () => {
    const cache = createTableCache(limits);
    const objs = many(2);
    const kept = body(JSON.stringify({ rows: objs.map((o) => o.name) }));
    const entry = cache.keep(id(), objs, kept);
    const gz = entry.gzipped();
    expect(gunzipSync(gz).equals(kept)).toBe(true);
    expect(cache.find(id(), objs)?.gzipped()).toBe(gz);
    expect(cache.stats().bytes).toBe(kept.length + gz.length);
  });

  it("is bounded: entries (least recently used dropped), bytes, and per-entry size", () => {
    const cache = createTableCache(limits);
    const objs = many(1);
    for (const k of ["a", "b", "c"]) cache.keep(id({ key: k }), objs, body("x".repeat(100)));
    cache.find(id({ key: "a" }), objs);
    cache.keep(id({ key: "d" }), objs, body("x".repeat(100)));
    expect(cache.stats()).toMatchObject({ entries: 3, bytes: 300 });
    expect(cache.find(id({ key: "b" }), objs)).toBeUndefined();
    expect(cache.find(id({ key: "a" }), objs)).toBeDefined();
    // Too small to be worth keeping, too large to keep: served once, not kept.
    expect(cache.keep(id({ key: "small" }), objs, body("x")).body.toString()).toBe("x");
    cache.keep(id({ key: "large" }), objs, body("x".repeat(401)));
    expect(cache.find(id({ key: "small" }), objs)).toBeUndefined();
    expect(cache.find(id({ key: "large" }), objs)).toBeUndefined();
    // The byte bound drops the oldest until the rest fits.
    for (const k of ["e", "f", "g"]) cache.keep(id({ key: k }), objs, body("x".repeat(400)));
    expect(cache.stats()).toMatchObject({ entries: 2, bytes: 800 });
    cache.clear();
    expect(cache.stats()).toMatchObject({ entries: 0, bytes: 0 });
  });
});
