/** The audit write stores every attempt, whatever text it carried (PGlite, or PostgreSQL with TEST_DATABASE_URL). */
import { afterAll, beforeAll, expect, it } from "vitest";
import type { Database, DatabaseHandle } from "@/db/client";
import { openTestDatabase } from "@/server/testing/database";
import { auditLog } from "../schema";
import { writeAuditEntry } from "./audit";

let handle: DatabaseHandle;
beforeAll(async () => {
  handle = await openTestDatabase();
}, 60_000);
afterAll(async () => handle?.close());

it("stores an attempt with NUL, unpaired surrogates and oversize text, escaped and bounded", async () => {
  await writeAuditEntry(handle.db, {
    actorId: "u1",
    actorEmail: "a\u0000@x.test",
    via: "session",
    tenantId: null,
    action: "deployments.create",
    target: `evil\u0000\uD800${"x".repeat(500)}`,
    outcome: "failure",
    detail: { error: "BAD_REQUEST", "k\u0000": ["v\u0000", "\uDC00"] },
  });
  const [row] = await handle.db.select().from(auditLog);
  expect(row).toMatchObject({
    actorEmail: "a\\u0000@x.test",
    outcome: "failure",
    detail: { error: "BAD_REQUEST", "k\\u0000": ["v\\u0000", "\uFFFD"] },
  });
  expect(row?.target?.startsWith("evil\\u0000\uFFFDxxx")).toBe(true);
  expect(row?.target?.length).toBeLessThanOrEqual(210);
});

it("stores an attempt on a tenant that does not exist, without the dangling tenant", async () => {
  await writeAuditEntry(handle.db, {
    via: "session",
    tenantId: "no-such-tenant",
    action: "cluster.setQuota",
    outcome: "failure",
    detail: { error: "NOT_FOUND" },
  });
  const rows = await handle.db.select().from(auditLog);
  expect(rows.find((r) => r.action === "cluster.setQuota")).toMatchObject({
    tenantId: null,
    detail: { error: "NOT_FOUND", unknownTenantId: "no-such-tenant" },
  });
});

it("stores that attempt inside a caller's transaction, which goes on and commits", async () => {
  const after = await handle.db.transaction(async (transaction) => {
    const tx = transaction as unknown as Database;
    await writeAuditEntry(tx, {
      via: "session",
      tenantId: "gone-tenant",
      action: "in.transaction",
      outcome: "failure",
    });
    return tx.select().from(auditLog);
  });
  expect(after.find((r) => r.action === "in.transaction")).toMatchObject({
    tenantId: null,
    detail: { unknownTenantId: "gone-tenant" },
  });
  const rows = await handle.db.select().from(auditLog);
  expect(rows.filter((r) => r.action === "in.transaction")).toHaveLength(1);
});
