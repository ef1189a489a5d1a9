import { describe, expect, it, vi } from "vitest";
import { createEngine } from "../api/engine";
import { createVirtualClock } from "../queue/clock";
import { createRng } from "../queue/rng";
import { createMemoryStore } from "../store/store";
import type { Pod } from "../kinds/types";
import { startHarness, webDeployment, type Harness } from "../test-kit";
import type { WatchEvent, WatchKind, WatchOptions } from "./types";

const T = "t";

async function cluster(config: Record<string, unknown> = {}): Promise<Harness> {
  const h = await startHarness({ config });
  await h.engine.createNodePool(T, { name: "p", machineType: "4c8g", minSize: 2, maxSize: 2 });
  await h.engine.settle();
  return h;
}

function collect(h: Harness, kind: WatchKind, opts: WatchOptions) {
  const events: WatchEvent[] = [];
  const w = h.engine.internals.watch(kind, opts, (e) => events.push(e));
  return { events, close: () => w.close() };
}

type ObjectEvent = Extract<WatchEvent, { object: unknown }>;
const isObjectEvent = (e: WatchEvent): e is ObjectEvent => e.type !== "BOOKMARK" && e.type !== "ERROR";
const changesOnly = (es: WatchEvent[]) => es.filter((e) => e.type !== "BOOKMARK");
const keyOf = (e: WatchEvent) =>
  e.type === "ERROR" || e.type === "BOOKMARK" ? e.type : `${e.resourceVersion}:${e.type}:${e.object.id}`;

describe("watch", () => {
  it("delivers every committed change once, in commit order, with the commit's revision", async () => {
    const h = await cluster();
    const w = collect(h, "Pod", { tenantId: T, resourceVersion: h.engine.internals.currentRevision });
    await h.engine.createDeployment(T, webDeployment("web", 3));
    await h.engine.settle();
    await h.engine.scaleDeployment(T, "web", 1);
    await h.engine.settle();
    const es = changesOnly(w.events);
    const revs = es.map((e) => (e.type === "ERROR" ? -1 : e.resourceVersion));
    expect(revs).toEqual([...revs].sort((a, b) => a - b));
    expect(es.filter((e) => e.type === "ADDED")).toHaveLength(3);
    expect(es.filter((e) => e.type === "DELETED")).toHaveLength(2);
    // Every event's object carries the revision of the change that wrote it.
    for (const e of es.filter(isObjectEvent)) expect(e.object.resourceVersion).toBe(e.resourceVersion);
    // The last event per pod is the pod as the engine holds it now.
    const live = h.engine.internals.ctx.state.ofTenant("Pod", T);
    for (const p of live) {
      const last = es
        .filter(isObjectEvent)
        .filter((e) => e.object.id === p.id)
        .at(-1);
      expect(last?.object).toEqual(p);
    }
  });

  it("without a resourceVersion starts with one ADDED per object, then follows", async () => {
    const h = await cluster();
    await h.engine.createDeployment(T, webDeployment("web", 2));
    await h.engine.settle();
    const w = collect(h, "Pod", { tenantId: T });
    await Promise.resolve();
    expect(w.events.map((e) => e.type)).toEqual(["ADDED", "ADDED"]);
    await h.engine.scaleDeployment(T, "web", 3);
    await h.engine.settle();
    expect(w.events.filter((e) => e.type === "ADDED")).toHaveLength(3);
  });

  it("resumes exactly: nothing lost or doubled across a reconnect", async () => {
    const h = await cluster();
    const start = h.engine.internals.currentRevision;
    const whole = collect(h, "*", { tenantId: T, resourceVersion: start });
    const first = collect(h, "*", { tenantId: T, resourceVersion: start });
    await h.engine.createDeployment(T, webDeployment("web", 4));
    await h.engine.runFor(3_000);
    first.close();
    const seen = changesOnly(first.events);
    const last = seen.at(-1);
    const resumeAt = last && last.type !== "ERROR" ? last.resourceVersion : start;
    await h.engine.settle(); // changes happen while disconnected
    const second = collect(h, "*", { tenantId: T, resourceVersion: resumeAt });
    await h.engine.scaleDeployment(T, "web", 2);
    await h.engine.settle();
    const joined = [...seen, ...changesOnly(second.events)].map(keyOf);
    expect(joined).toEqual(changesOnly(whole.events).map(keyOf));
    expect(new Set(joined).size).toBe(joined.length);
  });

  it("answers a resume from before the store's window with one ERROR 410 Expired", async () => {
    const h = await cluster({ changeLogWindow: { changes: 5, ms: 1_000 }, watchCacheChanges: 5 });
    await h.engine.createDeployment(T, webDeployment("web", 3));
    await h.engine.settle();
    await h.engine.runFor(61_000); // one compaction period
    const oldest = h.engine.internals.oldestLoggedRevision;
    expect(oldest).toBeGreaterThan(2);
    const w = collect(h, "Pod", { tenantId: T, resourceVersion: 1 });
    await Promise.resolve();
    expect(w.events).toEqual([
      { type: "ERROR", code: 410, reason: "Expired", message: expect.stringContaining("too old") },
    ]);
    // Just inside the store's window (older than the in-memory cache): served from the log.
    const ok = collect(h, "Pod", { tenantId: T, resourceVersion: oldest - 1 });
    await vi.waitFor(() => expect(h.engine.internals.watches.watchers).toBeGreaterThan(0));
    for (let i = 0; i < 20; i++) await Promise.resolve();
    expect(ok.events.some((e) => e.type === "ERROR")).toBe(false);
  });

  it("resumes from before the in-memory cache by replaying the store's log, live changes kept", async () => {
    const store = createMemoryStore();
    let open: () => void = () => undefined;
    const gate = new Promise<void>((resolve) => {
      open = resolve;
    });
    let reads = 0;
    const gated: typeof store = {
      ...store,
      async changesSince(revision, limit) {
        reads++;
        await gate;
        return store.changesSince(revision, limit);
      },
    };
    const engine = createEngine({
      store: gated,
      clock: createVirtualClock(Date.UTC(2026, 0, 1)),
      rng: createRng(42),
      config: { watchCacheChanges: 5, watchReplayPage: 3 },
    });
    await engine.start();
    const h = { engine } as Harness;
    await engine.createNodePool(T, { name: "p", machineType: "4c8g", minSize: 2, maxSize: 2 });
    await engine.settle();
    const start = engine.internals.currentRevision;
    const whole = collect(h, "*", { tenantId: T, resourceVersion: start });
    const wholeWeb = collect(h, "Pod", { tenantId: T, resourceVersion: start, labelSelector: "app=web" });
    await engine.createDeployment(T, webDeployment("web", 3));
    await engine.settle();
    expect(engine.internals.watches.oldestResumable).toBeGreaterThan(start);
    const resumed = collect(h, "*", { tenantId: T, resourceVersion: start });
    const resumedWeb = collect(h, "Pod", { tenantId: T, resourceVersion: start, labelSelector: "app=web" });
    const otherTenant = collect(h, "*", { tenantId: "someone-else", resourceVersion: start });
    // Live changes while the log is being read: they queue behind the replay.
    await engine.scaleDeployment(T, "web", 5);
    await engine.settle();
    expect(resumed.events).toEqual([]);
    open();
    await vi.waitFor(() => expect(resumed.events.length).toBe(whole.events.length));
    await vi.waitFor(() => expect(resumedWeb.events.length).toBe(wholeWeb.events.length));
    expect(reads).toBeGreaterThan(2); // paged
    expect(changesOnly(otherTenant.events)).toEqual([]);
    expect(changesOnly(resumed.events)).toEqual(changesOnly(whole.events));
    expect(changesOnly(resumedWeb.events)).toEqual(changesOnly(wholeWeb.events));
    // And it follows live afterwards.
    await engine.scaleDeployment(T, "web", 2);
    await engine.settle();
    expect(changesOnly(resumed.events)).toEqual(changesOnly(whole.events));
    expect(new Set(resumed.events.map(keyOf)).size).toBe(resumed.events.length);
    await engine.stop();
  });

  it("bounds the in-memory cache by changes and by estimated bytes", async () => {
    const h = await cluster({ watchCacheChanges: 1_000, watchCacheBytes: 20_000 });
    await h.engine.createDeployment(T, webDeployment("web", 5));
    await h.engine.settle();
    const { changes, approxBytes } = h.engine.internals.watches.cacheSize;
    expect(approxBytes).toBeLessThanOrEqual(20_000);
    expect(changes).toBeGreaterThan(0);
    expect(changes).toBeLessThan(1_000);
  });

  it("ends every open watch with one ERROR when the engine stops, and delivers nothing after", async () => {
    const h = await cluster();
    const w = collect(h, "*", { tenantId: T, resourceVersion: h.engine.internals.currentRevision });
    await h.engine.stop();
    expect(w.events.map((e) => e.type)).toEqual(["ERROR"]);
    expect(w.events[0]).toMatchObject({ code: 410, reason: "Expired" });
  });

  it("sends a BOOKMARK with the current revision every interval of engine time", async () => {
    const h = await cluster();
    const w = collect(h, "Pod", {
      tenantId: T,
      resourceVersion: h.engine.internals.currentRevision,
      bookmarkIntervalMs: 10_000,
    });
    await h.engine.runFor(35_000);
    const marks = w.events.filter((e) => e.type === "BOOKMARK");
    expect(marks).toHaveLength(3);
    for (const m of marks) expect(m).toMatchObject({ resourceVersion: h.engine.internals.currentRevision });
  });

  it("filters by label (equality and set-based) and field selectors; refuses invalid ones", async () => {
    const h = await cluster();
    const rv = h.engine.internals.currentRevision;
    const byLabel = collect(h, "Pod", { tenantId: T, resourceVersion: rv, labelSelector: "app=api" });
    const bySet = collect(h, "Pod", { tenantId: T, resourceVersion: rv, labelSelector: "app in (web,db),!canary" });
    const byField = collect(h, "Deployment", { tenantId: T, resourceVersion: rv, fieldSelector: "metadata.name==db" });
    const notRunning = collect(h, "Pod", { tenantId: T, resourceVersion: rv, fieldSelector: "status.phase!=Running" });
    const other = collect(h, "Pod", { tenantId: "someone-else", resourceVersion: rv });
    await h.engine.createDeployment(T, webDeployment("web", 1));
    await h.engine.createDeployment(T, webDeployment("api", 1));
    await h.engine.createDeployment(T, webDeployment("db", 1));
    await h.engine.settle();
    const ids = (es: WatchEvent[]) =>
      new Set(
        changesOnly(es).flatMap((e) => (e.type === "ERROR" ? [] : [(e.object as Pod).labels.app ?? e.object.name])),
      );
    expect(ids(byLabel.events)).toEqual(new Set(["api"]));
    expect(ids(bySet.events)).toEqual(new Set(["web", "db"]));
    expect(ids(byField.events)).toEqual(new Set(["db"]));
    expect(changesOnly(other.events)).toEqual([]);
    // A pod that starts running stops matching status.phase!=Running: DELETED, as Kubernetes' watch cache says.
    const types = changesOnly(notRunning.events).map((e) => e.type);
    expect(types.filter((t) => t === "ADDED")).toHaveLength(3);
    expect(types.filter((t) => t === "DELETED")).toHaveLength(3);
    const onNode = collect(h, "Pod", {
      tenantId: T,
      fieldSelector: `spec.nodeName=${h.engine.internals.ctx.state.ofTenant("Node", T)[0]?.name}`,
    });
    await Promise.resolve();
    expect(onNode.events.length).toBeGreaterThan(0);
    expect(() => collect(h, "Pod", { tenantId: T, labelSelector: "app in (" })).toThrow(/invalid label selector/);
    expect(() => collect(h, "Pod", { tenantId: T, fieldSelector: "spec.image=x" })).toThrow(
      /field label not supported/,
    );
  });

  it("reports a change that starts matching a selector as ADDED, one that stops as DELETED", async () => {
    const h = await cluster();
    await h.engine.createDeployment(T, webDeployment("web", 1));
    await h.engine.settle();
    const w = collect(h, "Deployment", {
      tenantId: T,
      resourceVersion: h.engine.internals.currentRevision,
      fieldSelector: "metadata.name=web",
    });
    await h.engine.deleteDeployment(T, "web");
    await h.engine.settle();
    expect(changesOnly(w.events).at(-1)?.type).toBe("DELETED");
    // Selector transitions on a pod: phase Pending -> Running leaves `status.phase=Pending`, enters `=Running`.
    const rv = h.engine.internals.currentRevision;
    const pending = collect(h, "Pod", { tenantId: T, resourceVersion: rv, fieldSelector: "status.phase=Pending" });
    const running = collect(h, "Pod", { tenantId: T, resourceVersion: rv, fieldSelector: "status.phase=Running" });
    await h.engine.createDeployment(T, webDeployment("web2", 1));
    await h.engine.settle();
    expect(changesOnly(pending.events).map((e) => e.type)).toEqual([
      "ADDED",
      ...Array(changesOnly(pending.events).length - 2).fill("MODIFIED"),
      "DELETED",
    ]);
    expect(changesOnly(running.events)[0]?.type).toBe("ADDED");
    const gone = changesOnly(pending.events).at(-1);
    // DELETED carries the last state that matched, at the revision of the change.
    expect(gone?.type === "DELETED" && (gone.object as Pod).status.phase).toBe("Pending");
    expect(gone?.type === "DELETED" && gone.object.resourceVersion).toBe(
      gone?.type === "DELETED" ? gone.resourceVersion : -1,
    );
  });

  it("fans a change out only to its tenant's watches and the cluster-wide ones", async () => {
    const h = await cluster();
    const rv = h.engine.internals.currentRevision;
    const counts = new Map<string, number>();
    for (let i = 0; i < 50; i++)
      h.engine.internals.watch("Pod", { tenantId: `x${i}`, resourceVersion: rv }, () =>
        counts.set(`x${i}`, (counts.get(`x${i}`) ?? 0) + 1),
      );
    const all = collect(h, "Pod", { resourceVersion: rv });
    await h.engine.createDeployment(T, webDeployment("web", 2));
    await h.engine.settle();
    expect(counts.size).toBe(0);
    expect(changesOnly(all.events).length).toBeGreaterThan(0);
    expect(h.engine.internals.watches.watchers).toBe(51);
  });
});
