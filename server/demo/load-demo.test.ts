import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { findTenantBySlug } from "@/db/queries/tenancy";
import { createHarness, type Harness, type TestUser } from "@/server/testing/harness";

let h: Harness;
let operator: TestUser;
beforeAll(async () => {
  h = await createHarness();
  operator = await h.signUp("ops@demo.test");
});
afterAll(async () => h.close());

describe("the demo", () => {
  it("shows a rollout in progress, a crash-looping pod and a pod that cannot be placed", async () => {
    const result = await (await operator.caller()).cluster.loadDemo({});
    expect(result.created).toEqual(["demo-shop", "demo-analytics", "demo-startup"]);
    const engine = h.services.engine;
    const shop = (await findTenantBySlug(h.services.db, "demo-shop"))!;
    const analytics = (await findTenantBySlug(h.services.db, "demo-analytics"))!;
    const startup = (await findTenantBySlug(h.services.db, "demo-startup"))!;

    expect(engine.getDeployment(shop.id, "storefront").revisions.length).toBe(2);

    // The crash loop never settles, so run a fixed stretch of modelled time instead.
    await engine.runFor(120_000);
    const worker = engine.listPods(analytics.id, { deployment: "report-worker" }).items[0];
    const waiting = worker?.status.containerStatuses[0]?.state;
    expect(waiting && "waiting" in waiting ? waiting.waiting.reason : null).toBe("CrashLoopBackOff");

    const pending = engine.listPods(startup.id, { phase: "Pending" }).items;
    expect(pending).toHaveLength(1);
    const scheduled = pending[0]?.status.conditions.find((c) => c.type === "PodScheduled");
    expect(scheduled?.message).toMatch(/Insufficient cpu/);
    expect(engine.listNodes(startup.id).items).toHaveLength(1);

    const storefrontIp = engine.getPublicIp(shop.id, "storefront");
    expect(storefrontIp.status.phase).toBe("Bound");
    expect(engine.getService(shop.id, "storefront").status?.loadBalancer?.ingress).toEqual([
      { ip: storefrontIp.status.address },
    ]);

    const shopDeployment = engine.getDeployment(shop.id, "storefront");
    expect(shopDeployment.status.updatedReplicas).toBe(4);
  });

  it("changes nothing when loaded again, and makes the operator owner of the demo tenants", async () => {
    const again = await (await operator.caller()).cluster.loadDemo({});
    expect(again.created).toEqual([]);
    const tenants = await (await operator.caller()).tenants.list();
    expect(tenants.map((t) => [t.tenantSlug, t.role])).toEqual([
      ["demo-analytics", "owner"],
      ["demo-shop", "owner"],
      ["demo-startup", "owner"],
    ]);
  });
});
