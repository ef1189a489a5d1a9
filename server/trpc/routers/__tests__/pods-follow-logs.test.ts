/**
 * pods.followLogs: the log first, then only the lines the pod's changes wrote, driven by the
 * engine's watch of that pod (the virtual clock settles the changes; nothing waits out time);
 * the stream ends when the pod is deleted or the caller aborts, closing its watch; a pod that
 * does not exist is NOT_FOUND before any stream starts.
 */
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { createHarness, type Harness, type TestUser } from "@/server/testing/harness";
import { createContext } from "../../context";
import { createCaller } from "../../root";
import { logOverlap as overlap } from "@/lib/log-overlap";

let h: Harness;
let owner: TestUser;

beforeAll(async () => {
  h = await createHarness();
  owner = await h.signUp("logs@follow.test");
  await (await owner.caller()).tenants.create({ name: "Follow", slug: "follow" });
  await (await owner.caller()).nodePools.update({ name: "default", minSize: 1 });
  await (await owner.caller()).deployments.create({
    name: "web",
    replicas: 1,
    template: { spec: { containers: [{ name: "web", image: "nginx:1.27" }] } },
  });
  await h.services.engine.settle();
}, 120_000);
afterAll(async () => h?.close());

const linesOf = (r: IteratorResult<{ lines: string[] }, unknown>): string[] => (r.done ? [] : r.value.lines);
const podName = async () => (await (await owner.caller()).pods.list({ deployment: "web" })).items[0]?.name ?? "";

describe("pods.followLogs", () => {
  it("sends the log, then the new lines of each change, and ends when the pod is deleted", async () => {
    const name = await podName();
    const stream = (await (await owner.caller()).pods.followLogs({ name }))[Symbol.asyncIterator]();
    const first = await stream.next();
    expect(first.done).toBe(false);
    expect(linesOf(first).some((l) => l.includes("starting nginx:1.27"))).toBe(true);
    const next = stream.next();
    await (await owner.caller()).pods.delete({ name, gracePeriodSeconds: 5 });
    await h.services.engine.settle();
    const fresh = await next;
    expect(linesOf(fresh).some((l) => l.includes("received SIGTERM"))).toBe(true);
    // Only new lines: nothing of the first batch again.
    expect(linesOf(fresh).some((l) => l.includes("starting nginx:1.27"))).toBe(false);
    for (;;) if ((await stream.next()).done) break;
  });

  it("ends on abort and refuses a pod that does not exist", async () => {
    await h.services.engine.settle();
    const abort = new AbortController();
    const caller = createCaller(await createContext(h.services, new Headers({ cookie: owner.cookie })), {
      signal: abort.signal,
    });
    const stream = (await caller.pods.followLogs({ name: await podName() }))[Symbol.asyncIterator]();
    await stream.next();
    const next = stream.next();
    abort.abort();
    expect((await next).done).toBe(true);
    await expect((await owner.caller()).pods.followLogs({ name: "nope" })).rejects.toMatchObject({
      code: "NOT_FOUND",
    });
  });

  it("counts the lines already sent when the log's ring has dropped its oldest", () => {
    expect(overlap(["a", "b", "c"], ["b", "c", "d"])).toBe(2);
    expect(overlap(["a", "b"], ["c"])).toBe(0);
    expect(overlap([], ["a"])).toBe(0);
  });
});
