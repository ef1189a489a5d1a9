/** monitoring.podNetwork through the router: the caller's own pod answers, another tenant's is NOT_FOUND. */
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { createHarness, type Harness, type TestUser } from "@/server/testing/harness";

let h: Harness;
const owners: Record<string, TestUser> = {};

beforeAll(async () => {
  h = await createHarness();
  for (const slug of ["net-a", "net-b"]) {
    const owner = await h.signUp(`owner@${slug}.test`);
    owners[slug] = owner;
    await (await owner.caller()).tenants.create({ name: slug, slug });
    await (await owner.caller()).deployments.create({
      name: `${slug}-web`,
      replicas: 1,
      template: {
        annotations: { "cloud.tenant.io/egress-bandwidth-guarantee": "100M" },
        spec: { containers: [{ name: "app", image: "nginx:1.27" }] },
      },
    });
  }
  await h.services.engine.settle();
  await h.services.engine.runFor(20_000);
}, 120_000);
afterAll(async () => h?.close());

const podOf = async (slug: string) => {
  const caller = await (owners[slug] as TestUser).caller();
  const pods = await caller.pods.list({});
  return { caller, name: pods.items[0]?.name as string };
};

describe("monitoring.podNetwork", () => {
  it("answers the caller's pod with its address and QoS", async () => {
    const { caller, name } = await podOf("net-a");
    const view = await caller.monitoring.podNetwork({ name });
    expect(view.qos.egress.guaranteeBitsPerSecond).toBe(100_000_000);
    expect(view.podIP).toMatch(/^10\.0\.\d+\.\d+$/);
  });

  it("does not find another tenant's pod", async () => {
    const { caller } = await podOf("net-a");
    const { name } = await podOf("net-b");
    await expect(caller.monitoring.podNetwork({ name })).rejects.toMatchObject({ code: "NOT_FOUND" });
  });
});
