/**
 * Migration 0009 (namespaces) over a database made by the previous release: the fixture holds the rows that
 * release's engine wrote for one tenant running a two-replica deployment (objects with `version` in their data,
 * events in their own table). After the migration every namespaced object sits in the tenant's first namespace
 * (its slug), a Namespace object exists for it, cluster-scoped objects are untouched, and an engine started on the
 * migrated rows finds the same pods still running on the same node.
 */
import { readFileSync } from "node:fs";
import path from "node:path";
import { sql } from "drizzle-orm";
import { afterAll, describe, expect, it } from "vitest";
import { createEngine } from "@/server/engine";
import { createVirtualClock } from "@/server/engine/queue/clock";
import { createRng } from "@/server/engine/queue/rng";
import { migrationsUpTo, openTestDatabase, removeMigrationCopies } from "@/server/testing/database";
import type { DatabaseHandle } from "./client";
import { createDatabaseEngineStore } from "./engine-store";
import { migrateDatabase, migrationsFolder } from "./migrate";

interface ObjectRow {
  kind: string;
  id: string;
  tenantId: string;
  version: number;
  data: Record<string, unknown>;
}
type EventRow = Record<string, string | number>;
const fixture = JSON.parse(readFileSync(path.join(__dirname, "fixtures/pre-namespaces.json"), "utf8")) as {
  objects: ObjectRow[];
  events: EventRow[];
};
/** The fixture's engine ran two minutes of virtual time from 2026-01-01. */
const fixtureTime = Date.UTC(2026, 0, 1) + 120_000;

async function rows<T>(handle: DatabaseHandle, query: ReturnType<typeof sql>): Promise<T[]> {
  return ((await handle.db.execute(query)) as unknown as { rows: T[] }).rows;
}

async function seedPreviousRelease(handle: DatabaseHandle) {
  await handle.db.execute(sql`insert into organization (id, name, slug) values ('t-old', 'Old Co', 'old-co')`);
  await handle.db.execute(sql`insert into organization (id, name, slug) values ('t-empty', 'Empty', 'empty')`);
  for (const o of fixture.objects) {
    await handle.db.execute(sql`insert into engine_object (kind, id, tenant_id, version, data)
      values (${o.kind}, ${o.id}, ${o.tenantId}, ${o.version}, ${JSON.stringify(o.data)}::jsonb)`);
  }
  for (const e of fixture.events) {
    await handle.db.execute(sql`insert into engine_event
      (id, tenant_id, object_kind, object_name, type, reason, message, count, first_time, last_time, version)
      values (${e.id}, ${e.tenantId}, ${e.objectKind}, ${e.objectName}, ${e.type}, ${e.reason}, ${e.message},
        ${e.count}, ${e.firstTime}, ${e.lastTime}, ${e.version})`);
  }
}

/** Objects with their bodies: since 0012 a body is the change-log row of the revision that last wrote it. */
const objectsWithBodies = (where: ReturnType<typeof sql>) =>
  sql`select o.kind, o.id, o.tenant_id, o.version, c.object::jsonb as data from engine_object o
    join engine_change c on c.revision = o.version and c.kind = o.kind and c.id = o.id where ${where} order by o.kind, o.id`;

const namespacedKinds = new Set(["Deployment", "ReplicaSet", "Pod"]);

afterAll(removeMigrationCopies);

describe("migration 0009 (namespaces) over the previous release", () => {
  it("moves every tenant's objects into its first namespace and creates that namespace", async () => {
    const handle = await openTestDatabase({ migrations: migrationsUpTo(7) });
    try {
      await seedPreviousRelease(handle);
      await migrateDatabase(handle);

      const namespaces = await rows<{ tenant_id: string; name: string; phase: string }>(
        handle,
        sql`select tenant_id, object::jsonb->>'name' as name, object::jsonb->'status'->>'phase' as phase from engine_change
            where kind = 'Namespace' order by name`,
      );
      expect(namespaces).toEqual([
        { tenant_id: "t-empty", name: "empty", phase: "Active" },
        { tenant_id: "t-old", name: "old-co", phase: "Active" },
      ]);

      const after = await rows<ObjectRow & { tenant_id: string }>(
        handle,
        objectsWithBodies(sql`o.kind <> 'Namespace'`),
      );
      expect(after).toHaveLength(fixture.objects.length);
      for (const row of after) {
        const before = fixture.objects.find((o) => o.kind === row.kind && o.id === row.id);
        expect(before).toBeDefined();
        // Only the namespace was added (and, by 0011, `version` became `resourceVersion`): the pods keep their node,
        // phase and everything else.
        const { namespace, resourceVersion, ...rest } = row.data;
        const { version, ...old } = before?.data ?? {};
        expect(rest).toEqual(old);
        expect(resourceVersion).toBe(version);
        expect(row.version).toBe(before?.version);
        expect(namespace).toBe(namespacedKinds.has(row.kind) ? "old-co" : undefined);
      }
    } finally {
      await handle.close();
    }
  });

  it("finds nothing left to do when run again", async () => {
    const handle = await openTestDatabase({ migrations: migrationsUpTo(7) });
    try {
      await seedPreviousRelease(handle);
      // Up to 0011: from 0012 on the bodies live in the change log, which 0009 predates.
      await migrateDatabase(handle, migrationsUpTo(11));
      const snapshot = sql`select kind, id, version, data from engine_object order by kind, id`;
      const once = await rows<unknown>(handle, snapshot);
      const statements = readFileSync(path.join(migrationsFolder, "0009_namespaces.sql"), "utf8")
        .split("--> statement-breakpoint")
        .map((s) => s.trim())
        .filter(Boolean);
      for (const statement of statements) await handle.db.execute(sql.raw(statement));
      expect(await rows<unknown>(handle, snapshot)).toEqual(once);
    } finally {
      await handle.close();
    }
  });

  it("keeps the tenant's pods running when an engine starts on the migrated rows", async () => {
    const handle = await openTestDatabase({ migrations: migrationsUpTo(7) });
    try {
      await seedPreviousRelease(handle);
      await migrateDatabase(handle);
      const engine = createEngine({
        store: createDatabaseEngineStore(handle.db),
        clock: createVirtualClock(fixtureTime),
        rng: createRng(7),
      });
      await engine.start();
      try {
        const podsBefore = fixture.objects.filter((o) => o.kind === "Pod");
        await engine.runFor(60_000);
        const pods = engine.listPods("t-old", { limit: 100 }).items;
        expect(pods.map((p) => [p.id, p.namespace, p.nodeId, p.status.phase]).sort()).toEqual(
          podsBefore.map((p) => [p.id, "old-co", p.data.nodeId, "Running"]).sort(),
        );
        const namespaces = engine.listNamespaces("t-old").items;
        expect(namespaces.map((n) => [n.name, n.tenantDefault, n.status.phase])).toEqual([["old-co", true, "Active"]]);
        // The migrated namespace is the tenant's default: a deployment that names none lands there.
        await engine.createDeployment("t-old", {
          name: "next",
          replicas: 0,
          template: { spec: { containers: [{ name: "c", image: "nginx:1.27" }] } },
        });
        expect(engine.getDeployment("t-old", "next").namespace).toBe("old-co");
        const web = engine.getDeployment("t-old", "web", { namespace: "old-co" });
        expect(web.status.availableReplicas).toBe(2);
        // Stored before selectors existed: it selects its template's labels, as the API's views require.
        expect(web.spec.selector).toEqual({ matchLabels: web.spec.template.labels });
        // Events stored before namespaces name none: they read as the tenant's first namespace's.
        const events = engine.listEvents("t-old", { limit: 500 }).items;
        const fixtureIds = new Set(fixture.events.map((e) => e.id));
        const old = events.filter((e) => fixtureIds.has(e.id));
        expect(old.length).toBeGreaterThan(0);
        expect(new Set(old.map((e) => e.namespace))).toEqual(new Set(["old-co"]));
      } finally {
        await engine.stop();
      }
    } finally {
      await handle.close();
    }
  });
});
