import { sql } from "drizzle-orm";
import { afterAll, describe, expect, it } from "vitest";
import { migrationsUpTo, openTestDatabase, removeMigrationCopies } from "@/server/testing/database";
import { migrateDatabase } from "./migrate";

afterAll(removeMigrationCopies);

describe("migrations 0006 and 0007 over the previous release", () => {
  it("expires invitations made before secret links, which no link can accept, and keeps the rest", async () => {
    const handle = await openTestDatabase({ migrations: migrationsUpTo(5) });
    try {
      await handle.db.execute(sql`insert into "user" (id, name, email) values ('u1', 'U', 'u1@old.test')`);
      await handle.db.execute(sql`insert into organization (id, name, slug) values ('t1', 'Old', 'old')`);
      await handle.db.execute(sql`insert into invitation (id, organization_id, email, role, status, expires_at, inviter_id) values
        ('pending-old', 't1', 'a@old.test', 'member', 'pending', now() + interval '3 days', 'u1'),
        ('accepted-old', 't1', 'b@old.test', 'member', 'accepted', now() + interval '3 days', 'u1')`);
      await handle.db.execute(sql`insert into "user" (id, name, email) values ('u2', 'Gone', 'u2@old.test')`);
      await handle.db.execute(
        sql`insert into member (id, organization_id, user_id, role) values ('m1', 't1', 'u1', 'owner')`,
      );
      // u2 was removed from t1 by the previous release, which left their token behind.
      await handle.db.execute(
        sql`insert into apikey (id, reference_id, tenant_id, key) values ('k1', 'u1', 't1', 'hash1'), ('k2', 'u2', 't1', 'hash2')`,
      );

      await migrateDatabase(handle);

      const rows = (await handle.db.execute(sql`select id, status from invitation order by id`)) as unknown as {
        rows: { id: string; status: string }[];
      };
      expect(rows.rows).toEqual([
        { id: "accepted-old", status: "accepted" },
        { id: "pending-old", status: "expired" },
      ]);
      const keys = (await handle.db.execute(sql`select id, scope from apikey order by id`)) as unknown as {
        rows: { id: string; scope: string }[];
      };
      // Existing tokens are tenant tokens: an operator's old token no longer reads every tenant. The orphaned
      // token of a removed member is gone, so re-inviting that person cannot bring it back to life.
      expect(keys.rows).toEqual([{ id: "k1", scope: "tenant" }]);
    } finally {
      await handle.close();
    }
  });
});
