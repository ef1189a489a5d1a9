/** The audit write stores every attempt, whatever text it carried (PGlite, or PostgreSQL with TEST_DATABASE_URL). */
import { afterAll, beforeAll, expect, it, vi } from "vitest";
import type { Database, DatabaseHandle } from "@/db/client";
import { openTestDatabase } from "@/server/testing/database";
import { auditLog } from "../schema";
import { writeAuditEntry, writeAuditEntrySoon } from "./audit";

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

it("writes entries that arrive together in one insert, each caller told when its own is stored", async () => {
  const insert = vi.spyOn(handle.db, "insert");
  try {
    await Promise.all(
      Array.from({ length: 10 }, (_, i) =>
        writeAuditEntrySoon(handle.db, {
          via: "token:ci",
          tenantId: null,
          action: `together.${i}`,
          outcome: "success",
        }),
      ),
    );
    expect(insert).toHaveBeenCalledTimes(1);
  } finally {
    insert.mockRestore();
  }
  const rows = await handle.db.select().from(auditLog);
  expect(rows.filter((r) => r.action.startsWith("together.")).map((r) => r.action)).toHaveLength(10);
});

it("records every entry of a batch that one entry spoils (an unknown tenant), each once", async () => {
  await Promise.all([
    writeAuditEntrySoon(handle.db, { via: "token:ci", tenantId: null, action: "mixed.ok.1", outcome: "success" }),
    writeAuditEntrySoon(handle.db, {
      via: "token:ci",
      tenantId: "nobody",
      action: "mixed.unknown",
      outcome: "failure",
    }),
    writeAuditEntrySoon(handle.db, { via: "token:ci", tenantId: null, action: "mixed.ok.2", outcome: "success" }),
  ]);
  const rows = (await handle.db.select().from(auditLog)).filter((r) => r.action.startsWith("mixed."));
  expect(rows.map((r) => r.action).sort()).toEqual(["mixed.ok.1", "mixed.ok.2", "mixed.unknown"]);
  expect(rows.find((r) => r.action === "mixed.unknown")).toMatchObject({
    tenantId: null,
    detail: { unknownTenantId: "nobody" },
  });
});
