/**
 * Applies the committed drizzle-kit migrations. Called by the server at start (never by
 * `next build`) and by tests on their fresh databases. Idempotent: applied ones are skipped.
 */
import path from "node:path";
import type { DatabaseHandle } from "./client";

export const migrationsFolder = path.resolve(process.cwd(), "db/migrations");

export async function migrateDatabase(handle: DatabaseHandle, folder = migrationsFolder): Promise<void> {
  if (handle.kind === "pglite") {
    const { migrate } = await import("drizzle-orm/pglite/migrator");
    await migrate(handle.db as never, { migrationsFolder: folder });
  } else {
    const { migrate } = await import("drizzle-orm/node-postgres/migrator");
    await migrate(handle.db as never, { migrationsFolder: folder });
  }
}
