/** Removing a member deletes their tokens of that tenant, and nothing else (PGlite, or PostgreSQL with TEST_DATABASE_URL). */
import { sql } from "drizzle-orm";
import { afterAll, beforeAll, expect, it } from "vitest";
import type { DatabaseHandle } from "@/db/client";
import { openTestDatabase } from "@/server/testing/database";
import { deleteMemberTokens } from "./tokens";

let handle: DatabaseHandle;
beforeAll(async () => {
  handle = await openTestDatabase();
}, 60_000);
afterAll(async () => handle?.close());

it("deletes only the member's tenant-scoped tokens of that tenant", async () => {
  await handle.db.execute(sql`insert into "user" (id, name, email) values ('u1', 'U', 'u1@x.test')`);
  await handle.db.execute(
    sql`insert into organization (id, name, slug) values ('t1', 'One', 'one'), ('t2', 'Two', 'two')`,
  );
  // An operator-scoped row that still carries a tenant id is not the tenant's token.
  await handle.db.execute(sql`insert into apikey (id, reference_id, tenant_id, scope, key) values
    ('tenant-t1', 'u1', 't1', 'tenant', 'h1'),
    ('tenant-t2', 'u1', 't2', 'tenant', 'h2'),
    ('operator', 'u1', 't1', 'operator', 'h3')`);

  expect(await deleteMemberTokens(handle.db, "t1", "u1")).toBe(1);

  const left = (await handle.db.execute(sql`select id from apikey order by id`)) as unknown as {
    rows: { id: string }[];
  };
  expect(left.rows.map((r) => r.id)).toEqual(["operator", "tenant-t2"]);
});
