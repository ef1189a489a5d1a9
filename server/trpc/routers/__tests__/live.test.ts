/**
 * live.changes and live.cluster through the router, on real services (virtual clock): what a
 * console's stream carries, that it never carries another tenant's names, that it ends with the
 * request or with the caller's access, and that it resumes from the id it last sent.
 */
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import type { TrackedEnvelope } from "@trpc/server";
import { createManualTicker, type ManualTicker } from "@/server/live/fake-feed";
import type { ChangeFeed } from "@/server/live/feed";
import { livePortsFor, setLivePorts } from "@/server/live/hub";
import type { LiveNote } from "@/server/live/notes";
import { createHarness, type Harness, type TestUser } from "@/server/testing/harness";
import { joinByInvitation } from "@/server/testing/join";
import { createContext } from "../../context";
import { createCaller } from "../../root";

type Stream = AsyncIterator<TrackedEnvelope<LiveNote>>;

let h: Harness;
let ticker: ManualTicker;
let openWatches = 0;
const tenants: Record<"a" | "b", { id: string; owner: TestUser; deployment: string }> = {} as never;

beforeAll(async () => {
  h = await createHarness();
  ticker = createManualTicker();
  // The real engine feed, counted: every watch a stream opens must be closed.
  const real = livePortsFor(h.services).feed;
  const counted: ChangeFeed = {
    ...real,
    subscribe(scope, from, onEvent) {
      openWatches++;
      const watch = real.subscribe(scope, from, onEvent);
      return {
        close() {
          openWatches--;
          watch.close();
        },
      };
    },
  };
  setLivePorts(h.services, { ticker, feed: counted });
  for (const slug of ["a", "b"] as const) {
    const owner = await h.signUp(`owner@live-${slug}.test`);
    const tenant = await (await owner.caller()).tenants.create({ name: slug.toUpperCase(), slug: `live-${slug}` });
    const d = await (await owner.caller()).deployments.create({
      name: `${slug}-web`,
      replicas: 1,
      template: { spec: { containers: [{ name: "web", image: "nginx:1.27" }] } },
    });
    tenants[slug] = { id: tenant.id, owner, deployment: d.name };
  }
  await h.services.engine.settle();
}, 120_000);
afterAll(async () => h.close());

async function open(user: TestUser, input?: { lastEventId?: string }, signal?: AbortSignal): Promise<Stream> {
  const caller = createCaller(await createContext(h.services, new Headers({ cookie: user.cookie })), { signal });
  // The caller hands over the procedure's own generator: tracked envelopes, not the client's { id, data }.
  const iterable = (await caller.live.changes(input)) as unknown as AsyncIterable<TrackedEnvelope<LiveNote>>;
  return iterable[Symbol.asyncIterator]();
}

async function next(stream: Stream): Promise<{ id: string; note: LiveNote } | undefined> {
  const r = await stream.next();
  if (r.done) return undefined;
  return { id: r.value[0], note: r.value[1] };
}

/** Notes up to and including the first that matches. */
async function until(stream: Stream, match: (n: LiveNote) => boolean): Promise<LiveNote[]> {
  const notes: LiveNote[] = [];
  for (;;) {
    const n = await next(stream);
    if (!n) return notes;
    notes.push(n.note);
    if (match(n.note)) return notes;
  }
}

const scale = async (slug: "a" | "b", replicas: number) =>
  (await tenants[slug].owner.caller()).deployments.scale({ name: tenants[slug].deployment, replicas });

describe("live.changes", () => {
  it("starts with the engine time, then names its tenant's changes and nothing of another tenant's", async () => {
    const stream = await open(tenants.a.owner);
    const first = await next(stream);
    expect(first?.note).toEqual({ type: "heartbeat", at: h.clock.now(), rate: expect.any(Number) });
    await scale("b", 2);
    await h.services.engine.settle();
    await scale("a", 2);
    const notes = await until(stream, (n) => n.type === "MODIFIED" && n.kind === "Deployment");
    const shown = JSON.stringify(notes);
    expect(shown).not.toContain(tenants.b.deployment);
    expect(shown).not.toContain(tenants.b.id);
    expect(notes.at(-1)).toMatchObject({ type: "MODIFIED", kind: "Deployment", name: tenants.a.deployment });
    await stream.return?.();
    expect(openWatches).toBe(0);
  });

  it("closes the engine watch when the request is aborted", async () => {
    const abort = new AbortController();
    const stream = await open(tenants.a.owner, undefined, abort.signal);
    await next(stream);
    expect(openWatches).toBe(1);
    const waiting = next(stream);
    abort.abort();
    expect(await waiting).toBeUndefined();
    expect(openWatches).toBe(0);
  });

  it("resumes from the last id it sent: the changes made while the client was away come", async () => {
    const stream = await open(tenants.a.owner);
    const first = await next(stream);
    await stream.return?.();
    await scale("a", 3);
    await h.services.engine.settle();
    const again = await open(tenants.a.owner, { lastEventId: first?.id });
    const notes = await until(again, (n) => "kind" in n && n.kind === "Deployment");
    expect(notes.at(-1)).toMatchObject({ kind: "Deployment", name: tenants.a.deployment });
    await again.return?.();
  });

  it("ends once the member is removed from the tenant (checked again on the heartbeat)", async () => {
    const viewer = await h.signUp("viewer@live-a.test");
    const memberId = await joinByInvitation(await tenants.a.owner.caller(), viewer, "viewer");
    await (await viewer.caller()).tenants.switch({ id: tenants.a.id });
    const stream = await open(viewer);
    await next(stream);
    await (await tenants.a.owner.caller()).members.remove({ memberId });
    for (let i = 0; i < 6; i++) ticker.tick();
    const rest = await until(stream, () => false);
    expect(rest.every((n) => n.type === "heartbeat")).toBe(true);
    expect(openWatches).toBe(0);
  });

  it("refuses a caller with no tenant, and a signed-out one", async () => {
    const loner = await h.signUp("loner@live.test");
    await expect((await loner.caller()).live.changes()).rejects.toMatchObject({ code: "PRECONDITION_FAILED" });
    await expect(h.anonymous().live.changes()).rejects.toMatchObject({ code: "UNAUTHORIZED" });
  });
});
