/**
 * Public IPs billed through the real engine and its database store on a virtual clock: an
 * address is metered from allocation to release, bound or not, one meter per bandwidth bought,
 * across a restart; the draft invoice shows its lines and reconciliation finds nothing amiss.
 */
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import type { DatabaseHandle } from "@/db/client";
import { listOpenMeters } from "@/db/queries/billing-metering";
import { tenantScope } from "@/db/scope";
import { createVirtualClock, type VirtualClock } from "../engine";
import { createServices, type Services } from "../services";
import { openTestDatabase } from "../testing/database";
import { provisionTenantDefaults } from "../workloads/tenant-defaults";
import { HOUR_MS } from "./period";
import { createOrganizations } from "./test-fixtures";

let handle: DatabaseHandle;
let clock: VirtualClock;
let services: Services;
const START = Date.UTC(2026, 2, 10);
const build = async () => {
  const s = createServices(
    handle,
    { baseURL: "http://localhost:3000", secret: "test-secret-test-secret-test-secret-32" },
    { clock, billing: { welcomeCreditMinor: 0n } },
  );
  await s.start();
  return s;
};

beforeAll(async () => {
  handle = await openTestDatabase();
  clock = createVirtualClock(START);
  await createOrganizations(handle.db, ["acme"]);
  services = await build();
  await provisionTenantDefaults(services.engine, "acme");
  await services.engine.createPublicIpPool({ name: "main", spec: { cidrs: ["203.0.113.0/28"] } });
}, 60_000);
afterAll(async () => {
  services.stop();
  await handle.close();
});

describe("public IPs billed through the engine", () => {
  it("meters allocation to release at the bandwidth bought, across a restart", async () => {
    const ip = await services.engine.createPublicIp("acme", { name: "web", spec: { bandwidthMbps: 5 } });
    const address = ip.status.address;
    await services.engine.runFor(2 * HOUR_MS);
    await services.engine.replacePublicIp("acme", { name: "web", spec: { bandwidthMbps: 10 } });
    await services.engine.runFor(HOUR_MS);
    services.stop(); // a restart: the engine reloads the PublicIP, billing its open meter
    services = await build();
    await services.engine.runFor(HOUR_MS);
    await services.billing.idle();

    const open = await listOpenMeters(handle.db, tenantScope("acme"));
    expect(open.filter((m) => m.kind === "publicip").map((m) => [m.address, m.bandwidthMbps])).toEqual([[address, 10]]);
    const draft = await services.billing.forecast("acme");
    const lines = draft.lines.filter((l) => l.resource.includes(address));
    expect(lines.map((l) => [l.resource, l.quantity])).toEqual([
      [`publicip:${address}:5`, BigInt(2 * HOUR_MS)],
      [`bandwidth:${address}:5`, BigInt(10 * HOUR_MS)],
      [`publicip:${address}:10`, BigInt(2 * HOUR_MS)],
      [`bandwidth:${address}:10`, BigInt(20 * HOUR_MS)],
    ]);
    expect(await services.billing.reconcile()).toEqual({ missing: 0, stale: 0 });

    await services.engine.deletePublicIp("acme", "web");
    await services.engine.runFor(HOUR_MS);
    const after = await services.billing.forecast("acme");
    expect(after.lines.filter((l) => l.resource.includes(address))).toEqual(lines); // released: nothing more
    expect((await listOpenMeters(handle.db, tenantScope("acme"))).some((m) => m.kind === "publicip")).toBe(false);
  }, 120_000);
});
