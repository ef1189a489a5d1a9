/** Audit log writes and reads. Reads are keyset-paginated by id, newest first. */
import { and, desc, eq, lt } from "drizzle-orm";
import type { Database } from "../client";
import { auditLog } from "../schema";

export type AuditEntry = typeof auditLog.$inferInsert;
export type AuditRow = typeof auditLog.$inferSelect;

export async function writeAuditEntry(db: Database, entry: AuditEntry): Promise<void> {
  await db.insert(auditLog).values(entry);
}

export async function listAuditEntries(
  db: Database,
  params: { tenantId?: string; limit: number; cursor?: number; action?: string },
): Promise<{ items: AuditRow[]; nextCursor: number | null }> {
  const rows = await db
    .select()
    .from(auditLog)
    .where(
      and(
        params.tenantId ? eq(auditLog.tenantId, params.tenantId) : undefined,
        params.cursor ? lt(auditLog.id, params.cursor) : undefined,
        params.action ? eq(auditLog.action, params.action) : undefined,
      ),
    )
    .orderBy(desc(auditLog.id))
    .limit(params.limit + 1);
  const items = rows.slice(0, params.limit);
  const last = items[items.length - 1];
  return { items, nextCursor: rows.length > params.limit && last ? last.id : null };
}
