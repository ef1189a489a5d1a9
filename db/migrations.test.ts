import { cpSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from "node:fs";
import os from "node:os";
import path from "node:path";
import { sql } from "drizzle-orm";
import { afterAll, describe, expect, it } from "vitest";
import type { EngineEvent } from "@/server/engine";
import { openTestDatabase } from "@/server/testing/database";
import { createDatabaseEngineStore } from "./engine-store";
import { migrateDatabase, migrationsFolder } from "./migrate";

const folders: string[] = [];
afterAll(() => {
  for (const f of folders) rmSync(f, { recursive: true, force: true });
});

/** A copy of the migrations folder that stops after migration `lastIdx`, as an older release shipped it. */
function migrationsUpTo(lastIdx: number): string {
  const folder = mkdtempSync(path.join(os.tmpdir(), "migrations-"));
  folders.push(folder);
  cpSync(migrationsFolder, folder, { recursive: true });
  const journalPath = path.join(folder, "meta/_journal.json");
  const journal = JSON.parse(readFileSync(journalPath, "utf8")) as { entries: { idx: number }[] };
  journal.entries = journal.entries.filter((e) => e.idx <= lastIdx);
  writeFileSync(journalPath, JSON.stringify(journal));
  return folder;
}

describe("migrations", () => {
  it("0005 moves the events a database already holds into engine_event, unchanged", async () => {
    const handle = await openTestDatabase({ migrations: migrationsUpTo(4) });
    try {
      // An event as the release before 0005 stored it (no metadata fields yet).
      const event = {
        kind: "Event" as const,
        id: "ev-1",
        tenantId: "t1",
        objectKind: "Pod",
        objectName: "web-1",
        type: "Warning" as const,
        reason: "BackOff",
        message: 'Back-off "x"',
        count: 3,
        firstTime: 1_767_225_600_000,
        lastTime: 1_767_225_660_000,
        resourceVersion: 4,
      };
      await handle.db.execute(
        sql`insert into engine_object (kind, id, tenant_id, version, data) values ('Event', ${event.id}, ${event.tenantId}, ${event.resourceVersion}, ${JSON.stringify(event)}::jsonb)`,
      );

      await migrateDatabase(handle);

      const snapshot = await createDatabaseEngineStore(handle.db).loadAll();
      const completed: EngineEvent = {
        ...event,
        name: "ev-1",
        namespace: "",
        labels: {},
        annotations: {},
        generation: 1,
        createdAt: event.firstTime,
      };
      expect(snapshot.Event).toEqual([completed]);
      const left = (await handle.db.execute(
        sql`select count(*)::int as n from engine_object where kind = 'Event'`,
      )) as unknown as { rows: { n: number }[] };
      expect(left.rows[0]?.n).toBe(0);
    } finally {
      await handle.close();
    }
  });
});
