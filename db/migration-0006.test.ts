import { cpSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from "node:fs";
import os from "node:os";
import path from "node:path";
import { sql } from "drizzle-orm";
import { afterAll, describe, expect, it } from "vitest";
import { openTestDatabase } from "@/server/testing/database";
import { migrateDatabase, migrationsFolder } from "./migrate";

const folders: string[] = [];
afterAll(() => folders.forEach((f) => rmSync(f, { recursive: true, force: true })));

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

describe("migration 0006", () => {
  it("expires invitations made before secret links, which no link can accept, and keeps the rest", async () => {
    const handle = await openTestDatabase({ migrations: migrationsUpTo(5) });
    try {
      await handle.db.execute(sql`insert into "user" (id, name, email) values ('u1', 'U', 'u1@old.test')`);
      await handle.db.execute(sql`insert into organization (id, name, slug) values ('t1', 'Old', 'old')`);
      await handle.db.execute(sql`insert into invitation (id, organization_id, email, role, status, expires_at, inviter_id) values
        ('pending-old', 't1', 'a@old.test', 'member', 'pending', now() + interval '3 days', 'u1'),
        ('accepted-old', 't1', 'b@old.test', 'member', 'accepted', now() + interval '3 days', 'u1')`);
      await handle.db.execute(sql`insert into apikey (id, reference_id, tenant_id, key) values ('k1', 'u1', 't1', 'hash')`);

      await migrateDatabase(handle);

      const rows = (await handle.db.execute(sql`select id, status from invitation order by id`)) as unknown as { rows: { id: string; status: string }[] };
      expect(rows.rows).toEqual([
        { id: "accepted-old", status: "accepted" },
        { id: "pending-old", status: "expired" },
      ]);
      const keys = (await handle.db.execute(sql`select scope from apikey`)) as unknown as { rows: { scope: string }[] };
      // Existing tokens are tenant tokens: an operator's old token no longer reads every tenant.
      expect(keys.rows).toEqual([{ scope: "tenant" }]);
    } finally {
      await handle.close();
    }
  });
});
