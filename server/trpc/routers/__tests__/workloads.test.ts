/**
 * Deployments, pods and nodes through the API, on the real database store: the flows a
 * tenant uses, the errors they get, and a crash mid-rollout that loses nothing.
 */
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import type { RouterOutputs } from "@/client/index";
import { createHarness, type Harness, type TestUser } from "@/server/testing/harness";

type Pod = RouterOutputs["pods"]["list"]["items"][number];

let h: Harness;
let owner: TestUser;
const template = (image: string) => ({
  labels: { app: "web" },
  spec: { containers: [{ name: "web", image, resources: { requests: { cpu: "250m", memory: "256Mi" } } }] },
});
const caller = () => owner.caller();
const live = (pods: Pod[]) => pods.filter((p) => p.deletionTimestamp === undefined);
const running = async (name: string) =>
  live((await (await caller()).pods.list({ deployment: name, limit: 500 })).items).filter(
    (p) => p.status.phase === "Running",
  );
const imagesOf = (pods: Pod[]) => [...new Set(pods.map((p) => p.spec.containers[0]?.image))];

beforeAll(async () => {
  h = await createHarness();
  await h.signUp("ops@workloads.test");
  owner = await h.signUp("owner@workloads.test");
  await (await caller()).tenants.create({ name: "Workloads", slug: "workloads" });
  await (await caller()).nodePools.update({ name: "default", minSize: 2 });
  await h.services.engine.settle();
}, 60_000);
afterAll(async () => h.close());

describe("deployments through the API", () => {
  it("runs 3 replicas, scales to 5, rolls out a new image and rolls back to revision 1", async () => {
    await (await caller()).deployments.create({ name: "web", replicas: 3, template: template("nginx:1.26") });
    await h.services.engine.settle();
    expect(await running("web")).toHaveLength(3);

    await (await caller()).deployments.scale({ name: "web", replicas: 5 });
    await h.services.engine.settle();
    expect(await running("web")).toHaveLength(5);

    await (await caller()).deployments.update({ name: "web", template: template("nginx:1.27") });
    await h.services.engine.settle();
    expect(imagesOf(await running("web"))).toEqual(["nginx:1.27"]);
    expect((await (await caller()).deployments.get({ name: "web" })).revisions.map((r) => r.revision)).toEqual([1, 2]);

    await (await caller()).deployments.rollback({ name: "web", toRevision: 1 });
    await h.services.engine.settle();
    const pods = await running("web");
    expect(pods).toHaveLength(5);
    expect(imagesOf(pods)).toEqual(["nginx:1.26"]);
    // Rolling back to 1 copies it into a new revision 3; 1 leaves the history.
    expect((await (await caller()).deployments.get({ name: "web" })).revisions.map((r) => r.revision)).toEqual([2, 3]);
  });

  it("drains a node: its pods are recreated on the other node", async () => {
    const nodes = (await (await caller()).nodes.list({})).items;
    expect(nodes).toHaveLength(2);
    const busiest = nodes.reduce((a, b) => (b.podsRemaining > a.podsRemaining ? b : a));
    await (await caller()).nodes.drain({ name: busiest.name });
    await h.services.engine.settle();
    expect((await (await caller()).nodes.get({ name: busiest.name })).podsRemaining).toBe(0);
    const pods = await running("web");
    expect(pods).toHaveLength(5);
    expect(pods.every((p) => p.nodeName !== busiest.name)).toBe(true);
    await (await caller()).nodes.uncordon({ name: busiest.name });
  });

  it("answers every bad request with a clear error and changes nothing", async () => {
    const c = await caller();
    const before = await c.deployments.get({ name: "web" });
    await expect(
      c.deployments.create({ name: "Bad_Name", replicas: 1, template: template("nginx:1.27") }),
    ).rejects.toMatchObject({ code: "BAD_REQUEST" });
    await expect(
      c.deployments.create({ name: "bad-image", replicas: 1, template: template("Nginx:LATEST!") }),
    ).rejects.toMatchObject({
      code: "BAD_REQUEST",
      message: expect.stringContaining("not a valid image reference"),
    });
    await expect(c.deployments.scale({ name: "web", replicas: -1 })).rejects.toMatchObject({
      code: "BAD_REQUEST",
      message: expect.stringContaining("negative"),
    });
    await expect(
      c.deployments.create({ name: "web", replicas: 1, template: template("nginx:1.27") }),
    ).rejects.toMatchObject({ code: "CONFLICT" });
    await expect(c.deployments.scale({ name: "web", replicas: 1000 })).rejects.toMatchObject({
      code: "FORBIDDEN",
      message: expect.stringMatching(/^Over the tenant's quota: /),
    });
    const after = await c.deployments.get({ name: "web" });
    expect(after.spec).toEqual(before.spec);
    expect(after.generation).toBe(before.generation);
  });

  it("records events for what happened", async () => {
    const events = (await (await caller()).events.list({ limit: 500 })).items;
    const reasons = new Set(events.map((e) => e.reason));
    for (const reason of ["ScalingReplicaSet", "Scheduled", "Started"]) expect(reasons).toContain(reason);
  });
});

describe("crash safety on the database store", () => {
  it("resumes a rollout after a crash with no pod lost or duplicated", async () => {
    await (await caller()).deployments.update({ name: "web", template: template("nginx:1.28") });
    // Part-way: some new pods exist, the rollout is not finished.
    await h.services.engine.runFor(3_000);
    const mid = await (await caller()).deployments.get({ name: "web" });
    expect(mid.status.updatedReplicas).toBeLessThan(5);

    await h.crashAndRestart();
    await h.services.engine.settle();
    const pods = live((await (await caller()).pods.list({ deployment: "web", limit: 500 })).items);
    expect(pods).toHaveLength(5);
    expect(pods.every((p) => p.status.phase === "Running")).toBe(true);
    expect(imagesOf(pods)).toEqual(["nginx:1.28"]);
    expect(new Set(pods.map((p) => p.name)).size).toBe(5);
  });
});
