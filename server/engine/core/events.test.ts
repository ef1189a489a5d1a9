import { describe, expect, it } from "vitest";
import { startHarness, webDeployment } from "../test-kit";

describe("events", () => {
  it("aggregates FailedScheduling per pod (its message changes on every retry), keeping the latest message", async () => {
    const h = await startHarness();
    await h.engine.createNodePool("t", { name: "p", machineType: "2c4g", minSize: 1, maxSize: 2 });
    await h.engine.settle();
    const huge = {
      ...webDeployment("web", 1),
      template: {
        spec: { containers: [{ name: "a", image: "nginx", resources: { requests: { cpu: "3", memory: "1Gi" } } }] },
      },
    };
    await h.engine.createDeployment("t", huge);
    await h.engine.settle();
    const node = h.engine.listNodes("t").items[0]?.id ?? "";
    for (let i = 0; i < 3; i++) {
      await h.engine.cordonNode("t", node);
      await h.engine.settle();
      await h.engine.uncordonNode("t", node);
      await h.engine.settle();
    }
    await h.engine.updateNodePool("t", "p", { minSize: 2 }); // a second node: the message changes
    await h.engine.settle();
    const evs = h.engine.listEvents("t", { type: "Warning" }).items.filter((e) => e.reason === "FailedScheduling");
    expect(evs).toHaveLength(1); // 1 try + 3 uncordons + 1 new node; cordoning gives no retry
    expect(evs[0]).toMatchObject({
      type: "Warning",
      count: 5,
      message: "0/2 nodes are available: 2 Insufficient cpu.",
    });
    expect(evs[0]?.lastTime).toBeGreaterThan(evs[0]?.firstTime ?? Infinity);
    expect(h.engine.listEvents("other").items).toHaveLength(0);
  });

  it("de-duplicates identical (tenant, object, reason, message) events by count and expires them after the retention", async () => {
    const h = await startHarness({ config: { eventRetentionMs: 10 * 60_000 } });
    await h.engine.createNodePool("t", { name: "p", machineType: "2c4g", minSize: 1, maxSize: 1 });
    await h.engine.settle();
    const node = h.engine.listNodes("t").items[0]?.id ?? "";
    for (let i = 0; i < 3; i++) {
      await h.engine.cordonNode("t", node);
      await h.engine.uncordonNode("t", node);
    }
    const cordon = h.engine.listEvents("t").items.find((e) => e.reason === "NodeNotSchedulable");
    expect(cordon?.count).toBe(3);
    await h.engine.runFor(5 * 60_000);
    expect(h.engine.listEvents("t").items.length).toBeGreaterThan(0);
    await h.engine.runFor(7 * 60_000);
    expect(h.engine.listEvents("t").items).toHaveLength(0);
    expect(h.store.snapshot().Event).toHaveLength(0);
  });

  it("combines similar events as client-go's correlator does: after 9 messages about one object and reason, one counted event", async () => {
    const h = await startHarness();
    await h.engine.createNodePool("t", { name: "p", machineType: "4c8g", minSize: 2, maxSize: 2 });
    await h.engine.settle();
    await h.engine.createDeployment("t", webDeployment("web", 30));
    await h.engine.settle();
    const all = h.engine.listEvents("t", { limit: 500 }).items;
    const created = all.filter((e) => e.reason === "SuccessfulCreate");
    const combined = created.filter((e) => e.message.startsWith("(combined from similar events): Created pod: "));
    expect(created).toHaveLength(10);
    expect(combined).toHaveLength(1);
    expect(created.reduce((n, e) => n + e.count, 0)).toBe(30);
    expect(combined[0]?.count).toBe(21);
    // Another object's events are its own series: each pod still has its own Scheduled event.
    expect(all.filter((e) => e.reason === "Scheduled")).toHaveLength(30);
  });

  it("lists newest first with cursor paging", async () => {
    const h = await startHarness();
    await h.engine.createNodePool("t", { name: "p", machineType: "2c4g", minSize: 2, maxSize: 2 });
    await h.engine.settle();
    await h.engine.createDeployment("t", webDeployment("web", 2));
    await h.engine.settle();
    const all = h.engine.listEvents("t", { limit: 1000 }).items;
    const times = all.map((e) => e.lastTime);
    expect([...times].sort((a, b) => b - a)).toEqual(times);
    const p1 = h.engine.listEvents("t", { limit: 5 });
    const p2 = h.engine.listEvents("t", { limit: 5, cursor: p1.nextCursor });
    expect([...p1.items, ...p2.items].map((e) => e.id)).toEqual(all.slice(0, 10).map((e) => e.id));
  });
});
