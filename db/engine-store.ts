/**
 * The engine's store port over PostgreSQL (PGlite or a server): every batch is one
 * transaction; upserts go as one JSON array per statement (`jsonb_array_elements`), deletes
 * as an id array (`= any`), so a batch of thousands of pods costs a handful of statements
 * and no per-row SQL building. Events go to their own table (db/engine-event-rows.ts).
 * An object is stored once, as kine stores it: its body is the change-log row of the
 * revision that last wrote it (db/engine-change-log.ts), and `engine_object` keeps only its
 * key and that revision. One statement appends the log rows from the JSON array it parsed,
 * moves each key to its new revision, and checks each op's `expectResourceVersion` against
 * the revision it replaces (a mismatch: CONFLICT, and the transaction rolls back).
 * Followers learn of commits through db/engine-notify.ts.
 */
import { type SQL, sql } from "drizzle-orm";
import type { EngineEvent, EngineObject, EngineStore, ObjectKind, Snapshot, WriteBatch } from "@/server/engine";
import { emptySnapshot } from "@/server/engine";
import type { ChangeType } from "@/server/engine/store/store";
import { conflict } from "@/server/engine/store/memory-store";
import type { Database } from "./client";
import { changesSince, compactChangeLog, currentRevision, logChanges } from "./engine-change-log";
import { deleteEvents, loadEvents, writeEvents } from "./engine-event-rows";
import { createCommitFeed } from "./engine-notify";
import { noSecretsSealer, type ObjectSealer } from "./secret-sealing";

/** Rows per statement: bounds the size of one message to the server. */
const rowsPerStatement = 5_000;

/** Runs inside the commit's transaction: derived facts land with the objects or not at all. */
export type BatchHook = (tx: Database, batch: WriteBatch) => Promise<void>;

/** No condition on the op (a batch without expectations: tests, older callers). */
const ANY = -1;

export interface DatabaseStoreOptions {
  /** Seals Secrets before they are written and opens them as they are read (db/secret-sealing.ts). */
  sealer?: ObjectSealer;
}

export function createDatabaseEngineStore(
  db: Database,
  hooks: BatchHook[] = [],
  { sealer = noSecretsSealer }: DatabaseStoreOptions = {},
): Required<EngineStore> {
  const feed = createCommitFeed(db);
  return {
    async loadAll(): Promise<Snapshot> {
      const rows = (
        (await db.execute(sql`select o.kind, o.version, c.object from engine_object o
          join engine_change c on c.revision = o.version and c.kind = o.kind and c.id = o.id`)) as unknown as Rows<{
          kind: string;
          version: number;
          object: EngineObject | string;
        }>
      ).rows;
      const snapshot = emptySnapshot() as Record<ObjectKind, EngineObject[]>;
      for (const row of rows) {
        const object = sealer.open(
          typeof row.object === "string" ? (JSON.parse(row.object) as EngineObject) : row.object,
        );
        // The key's revision is the truth should a body predate resource versions (0011_engine_resource_version).
        object.resourceVersion ??= Number(row.version);
        snapshot[row.kind as ObjectKind]?.push(object);
      }
      snapshot.Event = await loadEvents(db);
      return Object.assign(snapshot, { revision: await currentRevision(db) }) as Snapshot;
    },

    async commit(batch: WriteBatch): Promise<void> {
      if (batch.ops.length === 0) return;
      const upserts: { object: EngineObject; expect: number; type: ChangeType }[] = [];
      const events: { event: EngineEvent; created: boolean }[] = [];
      const logged: EngineObject[] = [];
      const loggedTypes: ChangeType[] = [];
      const deletes = new Map<ObjectKind, { ids: string[]; expect: number[] }>();
      for (const op of batch.ops) {
        if (op.op === "upsert") {
          const type: ChangeType = op.created ? "ADDED" : "MODIFIED";
          // Events are read back from their own table by revision (db/engine-change-log.ts): no log row.
          if (op.object.kind === "Event") events.push({ event: op.object, created: op.created === true });
          else upserts.push({ object: sealer.seal(op.object), expect: op.expectResourceVersion ?? ANY, type });
        } else {
          const d = deletes.get(op.kind) ?? { ids: [], expect: [] };
          d.ids.push(op.id);
          d.expect.push(op.expectResourceVersion ?? ANY);
          deletes.set(op.kind, d);
          if (op.object) {
            logged.push(sealer.seal(op.object));
            loggedTypes.push("DELETED");
          }
        }
      }
      upserts.sort((a, b) => byKey(a.object, b.object));
      events.sort((a, b) => byKey(a.event, b.event));
      const revision = batch.revision;
      const at = batch.at ?? 0;
      await db.transaction(async (txHandle) => {
        const tx = txHandle as unknown as Database;
        for (let i = 0; i < upserts.length; i += rowsPerStatement)
          await upsertObjects(tx, upserts.slice(i, i + rowsPerStatement), at);
        await writeEvents(tx, events, rowsPerStatement);
        for (const [kind, d] of deletes) {
          for (let i = 0; i < d.ids.length; i += rowsPerStatement) {
            const ids = d.ids.slice(i, i + rowsPerStatement);
            if (kind === "Event") await deleteEvents(tx, ids);
            else await deleteObjects(tx, kind, ids, d.expect.slice(i, i + rowsPerStatement));
          }
        }
        if (revision !== undefined) {
          for (let i = 0; i < logged.length; i += rowsPerStatement)
            await logChanges(
              tx,
              revision,
              at,
              logged.slice(i, i + rowsPerStatement),
              loggedTypes.slice(i, i + rowsPerStatement),
            );
          await feed.announce(tx, revision);
        }
        for (const hook of hooks) await hook(tx, batch);
      });
      if (revision !== undefined) feed.committed(revision);
    },

    currentRevision: () => currentRevision(db),
    changesSince: async (revision, limit) => {
      const changes = await changesSince(db, revision, limit);
      if (changes === "gone") return changes;
      for (const c of changes) if (c.kind === "Secret") c.object = sealer.open(c.object);
      return changes;
    },
    subscribe: (onRevision) => feed.subscribe(onRevision, () => currentRevision(db)),
    compact: async (now, window) => ({ oldestRevision: await compactChangeLog(db, now, window) }),
  };
}

/**
 * Primary-key order, so consecutive rows touch neighbouring pages. Measured on the seed
 * benchmark against the engine's order: two thirds of the updates stay on their heap page
 * (HOT: no new index entries) instead of a quarter, the table ends a third smaller and the
 * writes take about a tenth less time.
 */
function byKey(a: EngineObject, b: EngineObject): number {
  if (a.kind !== b.kind) return a.kind < b.kind ? -1 : 1;
  return a.id < b.id ? -1 : a.id > b.id ? 1 : 0;
}

type Rows<T> = { rows: T[] };

/**
 * The hot path of the engine (150,000 pods). The objects go as one JSON array, parsed once
 * by the database straight into their log rows (each at its resourceVersion: the batch's
 * revision); the key columns are read back out of each object. An array of JSON texts
 * (`unnest($5::text[])`) cost escaping every body in JS and parsing it twice in the database
 * (array literal, then JSON): twice as slow on PGlite and on a server alike (bench:engine seed).
 * The keys and their conditions (none, absent, this resourceVersion) go as a second, small
 * JSON array, so only it is materialised and scanned by each way of moving a key, never the
 * bodies. A key whose condition failed is not moved, and the count of moved keys tells (the
 * transaction then rolls back, log rows included).
 */
async function upsertObjects(
  tx: Database,
  items: { object: EngineObject; expect: number; type: ChangeType }[],
  at: number,
): Promise<void> {
  const bodies = JSON.stringify(items.map((i) => i.object));
  const keys = JSON.stringify(
    items.map(({ object: o, expect }) => [o.kind, o.id, o.tenantId, o.resourceVersion, expect]),
  );
  const types = sql.param(items.map((i) => i.type));
  const result = await tx.execute(sql`
    with logged as (
      insert into engine_change (revision, kind, id, namespace, name, tenant_id, type, object, at)
      select (o->>'resourceVersion')::int, o->>'kind', o->>'id', o->>'namespace', o->>'name', o->>'tenantId',
        (${types}::text[])[i], o, ${at}
      from jsonb_array_elements(${bodies}::jsonb) with ordinality as a(o, i)
      on conflict (revision, kind, id) do update set object = excluded.object, type = excluded.type, at = excluded.at
      returning 1
    ),
    input as (
      select k->>0 as kind, k->>1 as id, k->>2 as tenant_id, (k->>3)::int as rv, (k->>4)::int as e
      from jsonb_array_elements(${keys}::jsonb) as k
    ),
    free as (
      insert into engine_object (kind, id, tenant_id, version)
      select kind, id, tenant_id, rv from input where e < 0
      on conflict (kind, id) do update set tenant_id = excluded.tenant_id, version = excluded.version
      returning 1
    ),
    fresh as (
      insert into engine_object (kind, id, tenant_id, version)
      select kind, id, tenant_id, rv from input where e = 0
      on conflict (kind, id) do nothing
      returning 1
    ),
    updated as (
      update engine_object t set tenant_id = input.tenant_id, version = input.rv
      from input where input.e > 0 and t.kind = input.kind and t.id = input.id and t.version = input.e
      returning 1
    ),
    superseded as (${deleteBodiesBelowMark(sql`select kind, id, e as revision from input where e > 0`)})
    select (select count(*) from free) + (select count(*) from fresh) + (select count(*) from updated) as n,
      (select count(*) from logged) as l`);
  const [row] = (result as unknown as Rows<{ n: string | number }>).rows;
  if (Number(row?.n ?? 0) !== items.length) throw await conflictAmong(tx, items);
}

async function deleteObjects(tx: Database, kind: ObjectKind, ids: string[], expect: number[]): Promise<void> {
  const result = await tx.execute(sql`
    with input as (select * from unnest(${sql.param(ids)}::text[], ${sql.param(expect)}::int[]) as u(id, e)),
    stale as (
      select t.id from engine_object t join input on t.kind = ${kind} and t.id = input.id
      where input.e >= 0 and t.version <> input.e
    ),
    gone as (
      delete from engine_object t using input
      where t.kind = ${kind} and t.id = input.id and not exists (select 1 from stale)
      returning t.kind, t.id, t.version as revision
    ),
    superseded as (${deleteBodiesBelowMark(sql`select * from gone`)})
    select (select count(*) from stale) as stale, (select count(*) from gone) as n`);
  const [row] = (result as unknown as Rows<{ stale: string | number }>).rows;
  if (Number(row?.stale ?? 0) > 0) throw conflict(kind, ids[0] ?? "");
}

/**
 * Compaction keeps a live object's body even below its mark (the oldest complete revision):
 * once the object is written again or deleted, that body is history outside the window, so
 * the write removes it (`keys`: kind, id and the revision being replaced).
 */
function deleteBodiesBelowMark(keys: SQL): SQL {
  return sql`delete from engine_change c using (${keys}) k
    where c.revision = k.revision and c.kind = k.kind and c.id = k.id
      and k.revision < (select oldest_revision from engine_change_compaction where id = 1)`;
}

/** Name one object whose condition failed, for the message (the transaction is rolled back anyway). */
async function conflictAmong(tx: Database, items: { object: EngineObject; expect: number }[]): Promise<Error> {
  const keys = items.filter((i) => i.expect >= 0);
  const result = await tx.execute(sql`
    select o->>'kind' as kind, o->>'id' as id from jsonb_array_elements(${JSON.stringify(keys.map((k) => k.object))}::jsonb) with ordinality as a(o, i)
    left join engine_object t on t.kind = o->>'kind' and t.id = o->>'id'
    where coalesce(t.version, 0) <> (${sql.param(keys.map((k) => k.expect))}::int[])[i]
    limit 1`);
  const [row] = (result as unknown as Rows<{ kind: string; id: string }>).rows;
  return conflict(row?.kind ?? "object", row?.id ?? "");
}
