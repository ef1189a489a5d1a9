import { describe, expect, it } from "vitest";
import { startHarness } from "../test-kit";

const A = "tenant-a";

async function world() {
  const h = await startHarness();
  await h.engine.ensureTenantNamespace(A, "acme");
  await h.engine.whenIdle();
  return h;
}

const names = (h: Awaited<ReturnType<typeof world>>) =>
  h.engine
    .listConfigMaps(A)
    .items.map((c) => c.name)
    .sort();

describe("commands that wait together commit together", () => {
  it("commits concurrent commands in one store commit, each with its own result", async () => {
    const h = await world();
    const commits0 = h.store.commits;
    const made = await Promise.all(
      Array.from({ length: 20 }, (_, i) => h.engine.createConfigMap(A, { name: `cm-${i}`, data: { i: String(i) } })),
    );
    expect(made.map((c) => c.data)).toEqual(Array.from({ length: 20 }, (_, i) => ({ i: String(i) })));
    // One commit carries all twenty (the revision they share says so), not twenty commits.
    expect(new Set(made.map((c) => c.resourceVersion)).size).toBe(1);
    expect(h.store.commits - commits0).toBe(1);
    expect(names(h)).toHaveLength(20);
  });

  it("refuses only the command that fails, and keeps none of its writes", async () => {
    const h = await world();
    const results = await Promise.allSettled([
      h.engine.createConfigMap(A, { name: "first" }),
      // Sees the first command's write, as if it had committed: the name is taken.
      h.engine.createConfigMap(A, { name: "first", data: { second: "yes" } }),
      h.engine.createConfigMap(A, { name: "Not A Valid Name" }),
      h.engine.createConfigMap(A, { name: "third" }),
    ]);
    expect(results.map((r) => r.status)).toEqual(["fulfilled", "rejected", "rejected", "fulfilled"]);
    expect((results[1] as PromiseRejectedResult).reason).toMatchObject({ code: "CONFLICT" });
    expect((results[2] as PromiseRejectedResult).reason).toMatchObject({ code: "INVALID" });
    expect(names(h)).toEqual(["first", "third"]);
    expect(h.engine.getConfigMap(A, "first").data).toEqual({});
  });

  it("undoes a failed command's change of an object an earlier command of the group changed", async () => {
    const h = await world();
    const cm = await h.engine.createConfigMap(A, { name: "shared", data: { v: "0" } });
    const results = await Promise.allSettled([
      h.engine.replaceConfigMap(A, { name: "shared", data: { v: "1" }, resourceVersion: cm.resourceVersion }),
      // Stale: the first replace (staged in the same group) moved the object on.
      h.engine.replaceConfigMap(A, { name: "shared", data: { v: "2" }, resourceVersion: cm.resourceVersion }),
    ]);
    expect(results.map((r) => r.status)).toEqual(["fulfilled", "rejected"]);
    expect(h.engine.getConfigMap(A, "shared").data).toEqual({ v: "1" });
  });

  it("fails every command of the group when the commit fails, and keeps nothing of them", async () => {
    const h = await world();
    h.store.failNextCommits(1);
    const results = await Promise.allSettled(
      Array.from({ length: 5 }, (_, i) => h.engine.createConfigMap(A, { name: `lost-${i}` })),
    );
    expect(results.every((r) => r.status === "rejected")).toBe(true);
    expect((results[0] as PromiseRejectedResult).reason).toMatchObject({ code: "UNAVAILABLE" });
    expect(names(h)).toEqual([]);
    // The engine goes on: the next command commits.
    await h.engine.createConfigMap(A, { name: "after" });
    expect(names(h)).toEqual(["after"]);
  });
});
