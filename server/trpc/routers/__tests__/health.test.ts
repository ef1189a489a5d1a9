/**
 * Health through the API: deployments.get serves the deployment's status and its pods from
 * one engine read (so they cannot disagree), and every view (list, get, pods) carries the
 * same derived health.
 */
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { createHarness, type Harness, type TestUser } from "@/server/testing/harness";

let h: Harness;
let owner: TestUser;
const template = (image: string) => ({
  spec: { containers: [{ name: "web", image, resources: { requests: { cpu: "250m", memory: "256Mi" } } }] },
});
const caller = () => owner.caller();

beforeAll(async () => {
  h = await createHarness();
  await h.signUp("ops@health.test");
  owner = await h.signUp("owner@health.test");
  await (await caller()).tenants.create({ name: "Health", slug: "health" });
  await (await caller()).nodePools.update({ name: "default", minSize: 2 });
  await h.services.engine.settle();
}, 60_000);
afterAll(async () => h.close());

describe("deployments.get: status and pods from one snapshot", () => {
  it("at every step of a rollout, the counts in the status are the counts of the pods served with it", async () => {
    const c = await caller();
    await c.deployments.create({ name: "web", replicas: 4, template: template("nginx:1.26") });
    await h.services.engine.settle();
    await c.deployments.update({ name: "web", template: template("nginx:1.27") });
    const seen = new Set<string>();
    for (let step = 0; step < 60; step++) {
      // Between controller passes (a pass writes the status of what it just did).
      await h.services.engine.whenIdle();
      const d = await c.deployments.get({ name: "web" });
      const live = d.pods.filter(
        (p) => p.deletionTimestamp === undefined && (p.status.phase === "Pending" || p.status.phase === "Running"),
      );
      const current = d.revisions.find((r) => r.revision === d.status.currentRevision);
      const ready = live.filter(
        (p) =>
          p.status.containerStatuses.length > 0 &&
          p.status.containerStatuses.every((s) => s.ready && "running" in s.state),
      );
      const counts = {
        replicas: live.length,
        updatedReplicas: live.filter((p) => p.templateHash === current?.templateHash).length,
        readyReplicas: ready.length,
      };
      expect(
        {
          replicas: d.status.replicas,
          updatedReplicas: d.status.updatedReplicas,
          readyReplicas: d.status.readyReplicas,
        },
        `step ${step}`,
      ).toEqual(counts);
      // The health is the one the pods imply: never "Available" beside a pod still on its way.
      if (d.health.state === "Available") expect(live.every((p) => p.health.state === "Available")).toBe(true);
      seen.add(d.health.state);
      if (d.health.state === "Available" && step > 0) break;
      await h.services.engine.runFor(500);
    }
    expect(seen).toEqual(new Set(["Progressing", "Available"]));
  });

  it("list, get and pods.list say the same about a crash-looping deployment", async () => {
    const c = await caller();
    await c.deployments.create({ name: "worker", replicas: 2, template: template("myapp:crash") });
    await h.services.engine.runFor(60_000);
    const d = await c.deployments.get({ name: "worker" });
    expect(d.health.state).toBe("Degraded");
    expect(["CrashLoopBackOff", "BackOff"]).toContain(d.health.reason);
    expect(d.health.cause).toMatchObject({ pods: 2, pod: expect.stringMatching(/^worker-/) });
    const listed = (await c.deployments.list({ limit: 50 })).items.find((x) => x.name === "worker");
    expect(listed?.health).toEqual(d.health);
    const pods = (await c.pods.list({ deployment: "worker", limit: 50 })).items;
    expect(pods.map((p) => [p.name, p.health])).toEqual(d.pods.map((p) => [p.name, p.health]));
    const one = await c.pods.get({ name: d.pods[0]?.name ?? "" });
    expect(one.health).toEqual(d.pods[0]?.health);
    expect(one.health.state).toBe("Degraded");
  });
});
