import { describe, expect, it } from "vitest";
import { createFakeFeed, createManualSamples, createManualTicker } from "./fake-feed";
import type { ChangeFeed } from "./feed";
import type { LiveNote } from "./notes";
import { type LiveStreamOptions, liveStream, resumeRevision } from "./stream";

const A = "tenant-a";
const B = "tenant-b";
const pod = (name: string, tenantId = A) => ({ kind: "Pod", id: `id-${name}`, tenantId, name, namespace: "a" });

function open(options: Partial<LiveStreamOptions> & { feed: ChangeFeed }) {
  const ticker = createManualTicker();
  const samples = createManualSamples();
  const stream = liveStream({ scope: { tenantId: A }, ticker, samples, ...options });
  const next = async (): Promise<{ id: string; note: LiveNote } | undefined> => {
    const r = await stream.next();
    if (r.done) return undefined;
    const [id, note] = r.value;
    return { id, note };
  };
  return { stream, next, ticker, samples };
}

/** The next `count` notes, skipping the heartbeat a stream starts with. */
async function take(next: () => Promise<{ note: LiveNote } | undefined>, count: number): Promise<LiveNote[]> {
  const notes: LiveNote[] = [];
  while (notes.length < count) {
    const n = await next();
    if (!n) break;
    if (n.note.type !== "heartbeat") notes.push(n.note);
  }
  return notes;
}

describe("live stream", () => {
  it("starts with the engine time and the revision it stands at, then sends its tenant's changes only", async () => {
    const feed = createFakeFeed(100);
    const { next } = open({ feed });
    expect(await next()).toEqual({ id: "100", note: { type: "heartbeat", at: feed.clock.now, rate: 10 } });
    feed.commit([pod("b-1", B)]);
    const rev = feed.commit([{ ...pod("web-1"), type: "ADDED" }]);
    expect(await next()).toEqual({
      id: String(rev),
      note: {
        type: "ADDED",
        kind: "Pod",
        name: "web-1",
        namespace: "a",
        resourceVersion: String(rev),
        at: feed.clock.now,
      },
    });
  });

  it("drops what another tenant's object would say even when the feed hands it over", async () => {
    const inner = createFakeFeed(100);
    // A feed with an isolation bug: every subscriber hears every tenant.
    const leaky: ChangeFeed = {
      ...inner,
      subscribe: (_t, from, onEvent) => {
        const subs = [A, B].map((tenantId) => inner.subscribe({ tenantId }, from, onEvent));
        return {
          close() {
            for (const s of subs) s.close();
          },
        };
      },
    };
    const { next } = open({ feed: leaky });
    await next();
    inner.commit([pod("secret", B)]);
    inner.commit([pod("secret-2", B)]);
    inner.commit([pod("mine")]);
    // A's own change came after B's: had B's names got through, they would come first.
    expect((await next())?.note).toMatchObject({ name: "mine" });
  });

  it("cluster scope (operators) hears every tenant, and every tenant's samples", async () => {
    const feed = createFakeFeed(100);
    const { next, samples } = open({ feed, scope: { cluster: true } });
    await next();
    feed.commit([pod("a-1")]);
    feed.commit([pod("b-1", B)]);
    samples.land([B], 7);
    expect(await take(next, 3)).toMatchObject([{ name: "a-1" }, { name: "b-1" }, { type: "metrics", at: 7 }]);
  });

  it("holds at most queueCap notes for a reader that stops, then sends one resync instead of the backlog", async () => {
    const feed = createFakeFeed(100);
    const { next } = open({ feed, queueCap: 10 });
    await next();
    for (let i = 0; i < 25; i++) feed.commit([pod(`p-${i}`)]);
    const notes = await take(next, 5);
    expect(notes[0]).toMatchObject({ type: "resync", reason: "overflow" });
    expect(notes.slice(1).map((n) => (n.type === "MODIFIED" ? n.name : n.type))).toEqual([
      "p-21",
      "p-22",
      "p-23",
      "p-24",
    ]);
  });

  it("closes the watch, the ticker and the samples listener when the request is aborted", async () => {
    const feed = createFakeFeed(100);
    const abort = new AbortController();
    const { next, ticker, samples } = open({ feed, signal: abort.signal });
    await next();
    expect([feed.open, ticker.running, samples.listeners]).toEqual([1, 1, 1]);
    const waiting = next();
    abort.abort();
    expect(await waiting).toBeUndefined();
    expect([feed.open, ticker.running, samples.listeners]).toEqual([0, 0, 0]);
  });

  it("closes the watch when the consumer returns early", async () => {
    const feed = createFakeFeed(100);
    const { stream, next } = open({ feed });
    await next();
    await stream.return(undefined);
    expect(feed.open).toBe(0);
  });

  it("resumes from the client's last id: nothing lost, at most the last commit again", async () => {
    const feed = createFakeFeed(100);
    const first = open({ feed });
    await first.next();
    const r1 = feed.commit([pod("one")]);
    const seen = await first.next();
    expect(seen?.id).toBe(String(r1));
    await first.stream.return(undefined);
    // Changes while the client is away.
    feed.commit([pod("two")]);
    feed.commit([pod("three"), pod("four")]);
    const again = open({ feed, lastEventId: seen?.id });
    const names = (await take(again.next, 4)).map((n) => (n.type === "MODIFIED" ? n.name : n.type));
    expect(names).toEqual(["one", "two", "three", "four"]);
    expect(feed.subscriptions.at(-1)).toEqual({ scope: { tenantId: A }, from: r1 - 1 });
  });

  it("answers a resume from beyond the change log's window with one resync, then follows from now", async () => {
    const feed = createFakeFeed(100);
    feed.commit([pod("old")]);
    feed.compact(feed.revision());
    const { next } = open({ feed, lastEventId: "50" });
    expect((await next())?.note.type).toBe("heartbeat");
    expect((await next())?.note).toMatchObject({ type: "resync", reason: "expired" });
    await Promise.resolve(); // the stream reopens the watch from now
    const rev = feed.commit([pod("new")]);
    expect(await next()).toMatchObject({ id: String(rev), note: { name: "new" } });
    expect(feed.open).toBe(1);
  });

  it("beats with the engine time, one queued beat at a time, and moves its id on with bookmarks", async () => {
    const feed = createFakeFeed(100);
    const { next, ticker } = open({ feed });
    await next();
    feed.clock.now += 5_000;
    ticker.tick();
    ticker.tick();
    feed.commit([pod("x", B)]);
    feed.bookmark();
    expect(await next()).toEqual({ id: "101", note: { type: "heartbeat", at: feed.clock.now, rate: 10 } });
    const rev = feed.commit([pod("y")]);
    expect((await next())?.id).toBe(String(rev));
  });

  it("sends a metrics note when its tenant's samples land, none for another tenant's", async () => {
    const feed = createFakeFeed(100);
    const { next, samples } = open({ feed });
    await next();
    samples.land([B], 1);
    samples.land([A, B], 2);
    samples.land([A], 3); // one metrics note queued at a time
    expect((await next())?.note).toEqual({ type: "metrics", at: 2 });
  });

  it("ends when the caller may no longer read the tenant, and closes the watch", async () => {
    const feed = createFakeFeed(100);
    let allowed = true;
    const { next, ticker } = open({ feed, recheckEveryBeats: 2, stillAllowed: async () => allowed });
    await next();
    ticker.tick();
    ticker.tick();
    expect((await next())?.note.type).toBe("heartbeat");
    expect((await next())?.note.type).toBe("heartbeat"); // the recheck beat, still allowed
    allowed = false;
    ticker.tick();
    ticker.tick();
    expect((await next())?.note.type).toBe("heartbeat");
    expect(await next()).toBeUndefined();
    expect(feed.open).toBe(0);
  });
});

describe("resumeRevision", () => {
  it("resumes before the last commit seen, and ignores ids it did not write", () => {
    expect(resumeRevision("120")).toBe(119);
    expect(resumeRevision("0")).toBe(0);
    for (const bad of [null, undefined, "", "-3", "1e9", "abc", "9".repeat(16)])
      expect(resumeRevision(bad)).toBeUndefined();
  });
});
