/**
 * Managed fields on engine objects through the database store: kept across a restart (objects are
 * stored whole), a change to them alone stored without a new generation, and a dry-run command
 * checked as the write and stored nowhere.
 */
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import type { DatabaseHandle } from "@/db/client";
import { createDatabaseEngineStore } from "@/db/engine-store";
import { createEngine } from "@/server/engine/api/engine";
import { createVirtualClock } from "@/server/engine/queue/clock";
import { createRng } from "@/server/engine/queue/rng";
import { openTestDatabase } from "@/server/testing/database";

let handle: DatabaseHandle;
beforeAll(async () => {
  handle = await openTestDatabase();
});
afterAll(async () => handle.close());

const entry = (manager: string, field: string) => ({
  manager,
  operation: "Apply",
  apiVersion: "v1",
  time: "2026-01-01T00:00:00Z",
  fieldsType: "FieldsV1",
  fieldsV1: { "f:data": { [`f:${field}`]: {} } },
});

const engineOn = (store: ReturnType<typeof createDatabaseEngineStore>) =>
  createEngine({ store, clock: createVirtualClock(Date.UTC(2026, 0, 1)), rng: createRng(3) });

describe("managed fields in the store", () => {
  it("survive a restart, change alone without a new generation, and dry runs store nothing", async () => {
    const store = createDatabaseEngineStore(handle.db);
    const first = engineOn(store);
    await first.start();
    await first.ensureTenantNamespace("t1", "team");
    await first.createConfigMap("t1", {
      namespace: "team",
      name: "cfg",
      data: { a: "1" },
      managedFields: [entry("kubectl", "a")],
    });
    await first.createDeployment("t1", {
      name: "web",
      namespace: "team",
      template: { labels: { app: "web" }, spec: { containers: [{ name: "c", image: "nginx:1.27" }] } },
      managedFields: [entry("kubectl", "x")],
    });
    const before = first.getConfigMap("t1", "cfg", { namespace: "team" });
    const d0 = first.listDeployments("t1", { namespace: "team" }).items[0];
    // Only the managed fields change: stored (a new version), the generation stays.
    await first.replaceConfigMap("t1", {
      namespace: "team",
      name: "cfg",
      data: { a: "1" },
      managedFields: [entry("kubectl", "a"), entry("other", "a")],
    });
    await first.updateDeployment("t1", "web", { managedFields: [entry("other", "y")] }, { namespace: "team" });
    const after = first.getConfigMap("t1", "cfg", { namespace: "team" });
    expect(after.resourceVersion).toBeGreaterThan(before.resourceVersion);
    expect(after.generation).toBe(before.generation);
    const d1 = first.listDeployments("t1", { namespace: "team" }).items[0];
    expect(d1?.generation).toBe(d0?.generation);
    expect(d1?.managedFields).toEqual([entry("other", "y")]);

    // A dry run answers the write and stores nothing; its refusals are the write's.
    const dry = await first.createConfigMap("t1", { namespace: "team", name: "dry", data: {} }, { dryRun: true });
    expect(dry.name).toBe("dry");
    expect(() => first.getConfigMap("t1", "dry", { namespace: "team" })).toThrow(/not found/);
    await expect(
      first.createConfigMap("t1", { namespace: "team", name: "cfg", data: {} }, { dryRun: true }),
    ).rejects.toThrow(/already exists/);
    await first.deleteConfigMap("t1", "cfg", { namespace: "team", dryRun: true });
    await first.scaleDeployment("t1", "web", 5, { namespace: "team", dryRun: true });
    expect(first.getConfigMap("t1", "cfg", { namespace: "team" }).resourceVersion).toBe(after.resourceVersion);
    expect(first.listDeployments("t1", { namespace: "team" }).items[0]?.spec.replicas).toBe(1);
    await first.stop();

    const second = engineOn(store);
    await second.start();
    try {
      expect(second.getConfigMap("t1", "cfg", { namespace: "team" }).managedFields).toEqual([
        entry("kubectl", "a"),
        entry("other", "a"),
      ]);
      expect(second.listDeployments("t1", { namespace: "team" }).items[0]?.managedFields).toEqual([
        entry("other", "y"),
      ]);
    } finally {
      await second.stop();
    }
  });
});
