/**
 * The engine's change log in `engine_change` (db/schema/engine.ts): written inside the
 * commit's transaction, read by followers (`changesSince`), trimmed by `compactChangeLog`.
 * It also holds every live object's body (its newest row; db/engine-store.ts).
 * Guarantees: every row of a commit carries its revision; compaction removes the commits
 * older than the window except the live objects' bodies, and never the newest commit; a
 * reader asking from before the oldest complete commit is told "gone" rather than handed a gap.
 * Events (most of all writes: seven per pod on its way to Running) get no log rows when
 * created or counted up: `engine_event.version` is already the revision that last wrote each,
 * so changesSince reads them from there, each once at its latest count (a counted series, as
 * Kubernetes aggregates events). Only an event's deletion is a log row.
 */
import { sql } from "drizzle-orm";
import type { EngineObject, ObjectKind } from "@/server/engine";
import type { ChangeLogWindow, ChangeRecord, ChangeType } from "@/server/engine/store/store";
import { type BulkTable, canCopyRows, copyRows } from "./bulk-insert";
import type { Database } from "./client";
import { eventsWrittenBetween } from "./engine-event-rows";

type Rows<T> = { rows: T[] };
const rowsOf = <T>(r: unknown): T[] => (r as Rows<T>).rows;

/** One change-log row: the object's body at the revision that wrote (or deleted) it. */
export interface LogRow {
  revision: number;
  type: ChangeType;
  object: EngineObject;
}

const changeLogTable: BulkTable = {
  name: "engine_change",
  columns: [
    { name: "revision", type: "int8" },
    { name: "kind", type: "text" },
    { name: "id", type: "text" },
    { name: "namespace", type: "text" },
    { name: "name", type: "text" },
    { name: "tenant_id", type: "text" },
    { name: "type", type: "text" },
    { name: "object", type: "text" },
    { name: "at", type: "int8" },
  ],
};

/**
 * Appends a commit's log rows. Bodies are stored as JSON text, never parsed by the database:
 * on PGlite parsing 1 KB of JSON into jsonb costs about 30 µs in wasm, more than the rest of
 * the row's write, and nothing queries inside a body. PGlite gets them in one binary COPY (no
 * SQL text to parse either); a server parses JSON arrays of `rowsPerStatement` natively and
 * keeps each element's text (`json`, not `jsonb`: no re-encoding).
 */
export async function appendChanges(
  tx: Database,
  rows: readonly LogRow[],
  at: number,
  rowsPerStatement: number,
): Promise<void> {
  if (rows.length === 0) return;
  if (canCopyRows(tx) && !(await alreadyLogged(tx, rows))) {
    await copyRows(tx, changeLogTable, [
      rows.map((r) => r.revision),
      rows.map((r) => r.object.kind),
      rows.map((r) => r.object.id),
      rows.map((r) => (r.object as { namespace?: string }).namespace ?? null),
      rows.map((r) => (r.object as { name?: string }).name ?? null),
      rows.map((r) => r.object.tenantId),
      rows.map((r) => r.type),
      rows.map((r) => JSON.stringify(r.object)),
      rows.map(() => at),
    ]);
    return;
  }
  // A replayed commit (its revision already logged) rewrites its rows, as a first write would have left them.
  for (let i = 0; i < rows.length; i += rowsPerStatement) {
    const chunk = rows.slice(i, i + rowsPerStatement);
    await tx.execute(sql`
      insert into engine_change (revision, kind, id, namespace, name, tenant_id, type, object, at)
      select (${sql.param(chunk.map((r) => r.revision))}::bigint[])[i], o->>'kind', o->>'id', o->>'namespace', o->>'name',
        o->>'tenantId', (${sql.param(chunk.map((r) => r.type))}::text[])[i], o::text, ${at}
      from json_array_elements(${`[${chunk.map((r) => JSON.stringify(r.object)).join(",")}]`}::json) with ordinality as a(o, i)
      on conflict (revision, kind, id) do update set object = excluded.object, type = excluded.type, at = excluded.at`);
  }
}

/** Whether any of the rows' revisions has log rows already: one index probe per revision (a batch has one). */
async function alreadyLogged(tx: Database, rows: readonly LogRow[]): Promise<boolean> {
  const revisions = [...new Set(rows.map((r) => r.revision))];
  const found = rowsOf<{ n: number }>(
    await tx.execute(
      sql`select 1 as n from engine_change where revision = any(${sql.param(revisions)}::bigint[]) limit 1`,
    ),
  );
  return found.length > 0;
}

/**
 * The revision of the last commit: the log's newest (every object write is logged, and
 * compaction keeps the newest commit) or the newest counted event (events have no log rows).
 * Only a log never written (a database migrated from before it) falls back to the objects'
 * largest version, a scan of engine_object: COALESCE evaluates it only then.
 */
export async function currentRevision(db: Database): Promise<number> {
  const [row] = rowsOf<{ r: string | number | null }>(
    await db.execute(sql`select greatest(
      coalesce((select max(revision) from engine_change), (select max(version) from engine_object)),
      (select max(version) from engine_event)) as r`),
  );
  return Number(row?.r ?? 0);
}

/** The oldest revision from which the log is complete: compaction's mark, else its first row. */
export async function oldestRevision(db: Database): Promise<number | undefined> {
  const [row] = rowsOf<{ r: string | number | null }>(
    await db.execute(sql`select coalesce(
      (select oldest_revision from engine_change_compaction where id = 1),
      (select min(revision) from engine_change)) as r`),
  );
  return row?.r === null || row?.r === undefined ? undefined : Number(row.r);
}

/**
 * Changes after `revision`, whole commits, oldest first: about `limit` log rows (a commit is
 * never split) plus the events last written in the same range of revisions.
 */
export async function changesSince(db: Database, revision: number, limit: number): Promise<ChangeRecord[] | "gone"> {
  const oldest = await oldestRevision(db);
  const current = await currentRevision(db);
  if (revision < current && (oldest === undefined || revision < oldest - 1)) return "gone";
  const [bound] = rowsOf<{ r: string | number | null }>(
    await db.execute(sql`select revision as r from engine_change where revision > ${revision}
      order by revision offset ${Math.max(0, limit - 1)} limit 1`),
  );
  const upTo = bound?.r === null || bound?.r === undefined ? current : Number(bound.r);
  const rows = rowsOf<{
    revision: string | number;
    type: ChangeType;
    kind: ObjectKind;
    object: string;
    at: string | number;
  }>(
    await db.execute(sql`select revision, type, kind, object, at from engine_change
      where revision > ${revision} and revision <= ${upTo} order by revision, kind, id`),
  );
  const logged: ChangeRecord[] = rows.map((r) => ({
    revision: Number(r.revision),
    type: r.type,
    kind: r.kind,
    object: JSON.parse(r.object) as EngineObject,
    at: Number(r.at),
  }));
  const events: ChangeRecord[] = (await eventsWrittenBetween(db, revision, upTo)).map((e) => ({
    revision: e.resourceVersion,
    type: e.count === 1 ? "ADDED" : "MODIFIED",
    kind: "Event",
    object: e,
    at: e.lastTime,
  }));
  return [...logged, ...events].sort((a, b) => a.revision - b.revision);
}

/**
 * Delete the commits outside the window: those older than `window.ms` before `now` AND
 * beyond the newest `window.changes` rows; never the newest commit, and never a live object's
 * body (the row its key points at). Returns the oldest complete revision, recorded for readers.
 */
export async function compactChangeLog(db: Database, now: number, window: ChangeLogWindow): Promise<number> {
  // Below the mark only live bodies remain: the window counts the complete commits above it.
  const mark = (await oldestRevision(db)) ?? 0;
  const revisionOf = (rows: unknown) => {
    const [row] = rowsOf<{ r: string | number | null }>(rows);
    return row?.r === null || row?.r === undefined ? undefined : Number(row.r);
  };
  const newest = revisionOf(await db.execute(sql`select max(revision) as r from engine_change`));
  if (newest === undefined) return (await currentRevision(db)) + 1;
  // Revisions and engine time grow together, so the first commit inside the time window is found
  // walking the key from the mark: at once when nothing is old enough (most periods).
  const inTime =
    revisionOf(
      await db.execute(sql`select revision as r from engine_change where revision >= ${mark}
        and at >= ${now - window.ms} order by revision limit 1`),
    ) ?? newest;
  if (Math.min(inTime, newest) <= mark) return mark;
  // Only then the count term, which walks `changes` rows back from the newest.
  const inCount =
    revisionOf(
      await db.execute(sql`select revision as r from engine_change where revision >= ${mark}
        order by revision desc offset ${Math.max(0, window.changes - 1)} limit 1`),
    ) ?? mark;
  const keep = Math.min(inTime, newest, inCount);
  if (keep <= mark) return mark;
  await db.transaction(async (tx) => {
    await tx.execute(sql`delete from engine_change c where c.revision >= ${mark} and c.revision < ${keep}
      and not exists (select 1 from engine_object o where o.kind = c.kind and o.id = c.id and o.version = c.revision)`);
    await tx.execute(sql`insert into engine_change_compaction (id, oldest_revision) values (1, ${keep})
      on conflict (id) do update set oldest_revision = excluded.oldest_revision`);
  });
  return keep;
}
