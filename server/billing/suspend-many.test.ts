/**
 * The overdue rule in a tenant with more deployments than any page: suspension scales every
 * one of them to zero and payment restores every one, not only those of a first page.
 */
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import type { DatabaseHandle } from "@/db/client";
import { createDatabaseEngineStore } from "@/db/engine-store";
import { createVirtualClock, type Deployment, type VirtualClock } from "../engine";
import { createServices, type Services } from "../services";
import { openTestDatabase } from "../testing/database";
import { meteringHook } from "./metering";
import { HOUR_MS } from "./period";
import { createOrganizations } from "./test-fixtures";

let handle: DatabaseHandle;
let clock: VirtualClock;
let services: Services;
const options = { welcomeCreditMinor: 0n, graceMs: HOUR_MS, suspendAfterMs: HOUR_MS, accountCheckEveryMs: HOUR_MS };
const build = async () => {
  const s = createServices(
    handle,
    { baseURL: "http://localhost:3000", secret: "test-secret-test-secret-test-secret-32" },
    { clock, billing: options },
  );
  await s.start();
  return s;
};

beforeAll(async () => {
  handle = await openTestDatabase();
  clock = createVirtualClock(Date.UTC(2026, 2, 3, 9));
  await createOrganizations(handle.db, ["many"]);
  services = await build();
}, 60_000);
afterAll(async () => {
  await services.stop();
  await handle.close();
});

describe("suspension in a tenant with more than a page of deployments", () => {
  it("scales every deployment to zero, and restores every one", async () => {
    const template = {
      spec: {
        containers: [{ name: "web", image: "nginx:1.27", resources: { requests: { cpu: "10m", memory: "16Mi" } } }],
      },
    };
    // The one with replicas sorts after 1,000 idle ones (written in one batch, then loaded).
    await services.engine.createNodePool("many", { name: "default", machineType: "4c8g", minSize: 0, maxSize: 2 });
    const seed = await services.engine.createDeployment("many", { name: "d0000", replicas: 0, template });
    const idle: Deployment[] = Array.from({ length: 1000 }, (_, i) => ({
      ...seed,
      id: `dep-idle-${i}`,
      name: `d${String(i + 1).padStart(4, "0")}`,
    }));
    // Written straight to the store while no engine runs, as a previous process left them.
    await services.stop();
    await createDatabaseEngineStore(handle.db, [meteringHook]).commit({
      ops: idle.map((object) => ({ op: "upsert", object })),
      at: clock.now(),
    });
    services = await build();
    await services.engine.createDeployment("many", { name: "zz-web", replicas: 1, template });
    expect(services.engine.listDeployments("many", { limit: 1000 }).nextCursor).toBeDefined();

    const owed = await services.billing.balanceOf("many");
    await services.billing.credit("many", "grant", -1_000n - owed.availableMinor, "overdue", null);
    for (let i = 0; i < 3; i++) {
      clock.advance(HOUR_MS);
      await services.billing.idle();
    }
    expect(services.engine.getDeployment("many", "zz-web").spec.replicas).toBe(0);

    await services.billing.credit("many", "topup", 1_000_000n, "paid", null);
    expect(services.engine.getDeployment("many", "zz-web").spec.replicas).toBe(1);
  }, 120_000);
});
