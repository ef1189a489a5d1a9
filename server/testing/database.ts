/**
 * Throw-away databases for tests: PGlite in memory by default, or a fresh database on the
 * PostgreSQL server named by TEST_DATABASE_URL (created here, dropped on close).
 */
import { randomBytes } from "node:crypto";
import { cpSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from "node:fs";
import os from "node:os";
import path from "node:path";
import { openDatabase, type DatabaseHandle } from "@/db/client";
import { migrateDatabase, migrationsFolder } from "@/db/migrate";

const migrationCopies: string[] = [];

/**
 * A copy of the project's migrations up to `last` (the journal's idx), as an older release
 * shipped them, for openTestDatabase({ migrations }); `removeMigrationCopies` (in afterAll)
 * deletes the copies (test workers end without an exit event).
 */
export function migrationsUpTo(last: number): string {
  const folder = mkdtempSync(path.join(os.tmpdir(), "migrations-"));
  migrationCopies.push(folder);
  cpSync(migrationsFolder, folder, { recursive: true });
  const journalPath = path.join(folder, "meta/_journal.json");
  const journal = JSON.parse(readFileSync(journalPath, "utf8")) as { entries: { idx: number }[] };
  journal.entries = journal.entries.filter((e) => e.idx <= last);
  writeFileSync(journalPath, JSON.stringify(journal));
  return folder;
}

export function removeMigrationCopies(): void {
  for (const f of migrationCopies.splice(0)) rmSync(f, { recursive: true, force: true });
}

/** `migrations`: a migrations folder other than the project's (an older release's, say). */
export async function openTestDatabase(options: { migrations?: string } = {}): Promise<DatabaseHandle> {
  const serverUrl = process.env.TEST_DATABASE_URL;
  if (!serverUrl) {
    const handle = await openDatabase({ dataDir: "memory://" });
    await migrateDatabase(handle, options.migrations);
    return handle;
  }
  const name = `tc_test_${randomBytes(6).toString("hex")}`;
  const { Client } = await import("pg");
  const admin = new Client({ connectionString: serverUrl });
  await admin.connect();
  await admin.query(`create database ${name}`);
  await admin.end();
  const url = new URL(serverUrl);
  url.pathname = `/${name}`;
  const handle = await openDatabase({ url: url.toString() });
  await migrateDatabase(handle, options.migrations);
  return {
    ...handle,
    async close() {
      await handle.close();
      const dropper = new Client({ connectionString: serverUrl });
      await dropper.connect();
      await dropper.query(`drop database if exists ${name} with (force)`);
      await dropper.end();
    },
  };
}
