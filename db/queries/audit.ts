/** Audit log writes and reads. Reads are keyset-paginated by id, newest first. */
import { and, desc, eq, lt } from "drizzle-orm";
import { storableText } from "@/lib/storable-text";
import type { Database } from "../client";
import { auditLog } from "../schema";

export type AuditEntry = typeof auditLog.$inferInsert;
export type AuditRow = typeof auditLog.$inferSelect;

/**
 * Records an attempt, whatever it carried: an attempt with text the database cannot store
 * (U+0000, an unpaired surrogate) is exactly the one worth recording, so the entry is made
 * storable (escaped, bounded) rather than refused. `db` may be a caller's transaction: the
 * first insert runs in its own savepoint (a nested transaction), so a refused insert does not
 * abort the caller's transaction and the retry can run in it.
 */
export async function writeAuditEntry(db: Database, entry: AuditEntry): Promise<void> {
  const storable = storableAuditEntry(entry);
  try {
    await db.transaction(async (tx) => {
      await tx.insert(auditLog).values(storable);
    });
  } catch (error) {
    // An attempt on a tenant that does not exist (an operator's typo) still gets its record.
    if (!isForeignKeyViolation(error) || !storable.tenantId) throw error;
    const detail = { ...(isRecord(storable.detail) ? storable.detail : {}), unknownTenantId: storable.tenantId };
    await db.insert(auditLog).values({ ...storable, tenantId: null, detail });
  }
}

/**
 * `writeAuditEntry` for callers that arrive together: entries queued within one turn of the
 * event loop go in as one insert (concurrent API writes each waited for their own transaction
 * before). Each promise settles once its own entry is stored. A batch the database refuses
 * is written again entry by entry, so one entry's problem (an unknown tenant) never costs the
 * others their record, and each caller sees only its own failure.
 */
export function writeAuditEntrySoon(db: Database, entry: AuditEntry): Promise<void> {
  let batcher = batchers.get(db);
  if (!batcher) {
    batcher = { queued: [] };
    batchers.set(db, batcher);
  }
  const b = batcher;
  return new Promise<void>((resolve, reject) => {
    b.queued.push({ entry, resolve, reject });
    if (b.queued.length === 1) setImmediate(() => void flushAuditBatch(db, b));
  });
}

interface QueuedAuditEntry {
  entry: AuditEntry;
  resolve: () => void;
  reject: (error: unknown) => void;
}

const batchers = new WeakMap<Database, { queued: QueuedAuditEntry[] }>();

/** At most this many entries per insert (a bound on one statement's parameters: 8 columns each). */
const AUDIT_ROWS_PER_INSERT = 500;

async function flushAuditBatch(db: Database, batcher: { queued: QueuedAuditEntry[] }): Promise<void> {
  const batch = batcher.queued.splice(0, AUDIT_ROWS_PER_INSERT);
  if (batcher.queued.length > 0) setImmediate(() => void flushAuditBatch(db, batcher));
  if (batch.length === 1) {
    const [only] = batch as [QueuedAuditEntry];
    return writeAuditEntry(db, only.entry).then(only.resolve, only.reject);
  }
  try {
    await db.insert(auditLog).values(batch.map((q) => storableAuditEntry(q.entry)));
    for (const q of batch) q.resolve();
  } catch {
    for (const q of batch) await writeAuditEntry(db, q.entry).then(q.resolve, q.reject);
  }
}

function isForeignKeyViolation(error: unknown): boolean {
  for (let e: unknown = error, depth = 0; isRecord(e) && depth < 5; e = e.cause, depth++)
    if (e.code === "23503") return true;
  return false;
}

const isRecord = (value: unknown): value is Record<string, unknown> =>
  typeof value === "object" && value !== null && !Array.isArray(value);

/** Bounds per column; a detail larger than `maxDetailChars` as JSON is replaced by a note saying so. */
const maxChars = { actorId: 64, actorEmail: 254, via: 120, tenantId: 64, action: 120, target: 200 } as const;
const maxDetailChars = 2000;

export function storableAuditEntry(entry: AuditEntry): AuditEntry {
  // Cut before escaping: a cut through a surrogate pair then reads as U+FFFD, not as a lone half.
  const bounded = (value: string | null | undefined, max: number) =>
    value == null ? value : storableText(value.slice(0, max));
  const detail = entry.detail == null ? entry.detail : storableJson(entry.detail);
  return {
    ...entry,
    actorId: bounded(entry.actorId, maxChars.actorId),
    actorEmail: bounded(entry.actorEmail, maxChars.actorEmail),
    via: bounded(entry.via, maxChars.via) ?? "",
    tenantId: bounded(entry.tenantId, maxChars.tenantId),
    action: bounded(entry.action, maxChars.action) ?? "",
    target: bounded(entry.target, maxChars.target),
    detail: detail !== undefined && JSON.stringify(detail).length > maxDetailChars ? { truncated: true } : detail,
  };
}

function storableJson(value: unknown): unknown {
  if (typeof value === "string") return storableText(value);
  if (Array.isArray(value)) return value.map(storableJson);
  if (value && typeof value === "object") {
    return Object.fromEntries(Object.entries(value).map(([key, child]) => [storableText(key), storableJson(child)]));
  }
  return value;
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
