import { sql } from "drizzle-orm";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import type { Secret } from "@/server/engine";
import { openTestDatabase } from "@/server/testing/database";
import type { DatabaseHandle } from "./client";
import { createDatabaseEngineStore } from "./engine-store";
import { createSecretSealer, noSecretsSealer, secretsKeyFromEnv } from "./secret-sealing";

let handle: DatabaseHandle;
beforeAll(async () => {
  handle = await openTestDatabase();
});
afterAll(async () => handle.close());

const key = Buffer.alloc(32, 7);
const password = Buffer.from("hunter2-correct-horse").toString("base64");
const secret = (id: string, resourceVersion: number): Secret => ({
  kind: "Secret",
  id,
  tenantId: "t1",
  namespace: "acme",
  name: id,
  labels: {},
  annotations: {},
  generation: 1,
  createdAt: 0,
  type: "Opaque",
  data: { password },
  resourceVersion,
});

describe("secrets at rest", () => {
  it("the database holds a secret's values only encrypted; the store reads them back in the clear", async () => {
    const store = createDatabaseEngineStore(handle.db, [], { sealer: createSecretSealer(key) });
    await store.commit({ revision: 1, at: 1, ops: [{ op: "upsert", object: secret("db-pass", 1), created: true }] });

    const raw = await handle.db.execute(sql`select object::text as body from engine_change where kind = 'Secret'`);
    const bodies = (raw as unknown as { rows: { body: string }[] }).rows.map((r) => r.body);
    expect(bodies).toHaveLength(1);
    expect(bodies[0]).toContain("aesgcm:v1:");
    expect(bodies[0]).not.toContain(password);
    expect(bodies[0]).not.toContain("hunter2");

    const loaded = (await store.loadAll()).Secret;
    expect(loaded).toEqual([secret("db-pass", 1)]);
    const changes = await store.changesSince(0, 100);
    expect(changes === "gone" ? changes : changes.map((c) => c.object)).toEqual([secret("db-pass", 1)]);
  });

  it("under another key it refuses to open, saying which key wrote it, and a store without a key writes none", async () => {
    const other = createDatabaseEngineStore(handle.db, [], { sealer: createSecretSealer(Buffer.alloc(32, 9)) });
    await expect(other.loadAll()).rejects.toThrow(/sealed under another key .*SECRETS_ENCRYPTION_KEY/);
    const keyless = createDatabaseEngineStore(handle.db, [], { sealer: noSecretsSealer });
    await expect(
      keyless.commit({ revision: 2, at: 2, ops: [{ op: "upsert", object: secret("plain", 2), created: true }] }),
    ).rejects.toThrow(/no key to encrypt secrets/);
    const rows = await handle.db.execute(sql`select count(*)::int as n from engine_change where kind = 'Secret'`);
    expect((rows as unknown as { rows: { n: number }[] }).rows[0]?.n).toBe(1);
  });

  it("a sealed value moved to another secret does not open", () => {
    const sealer = createSecretSealer(key);
    const sealed = sealer.seal(secret("a", 1)) as Secret & { sealed: string };
    expect(sealed.data).toEqual({});
    expect(() => sealer.open({ ...sealed, id: "b" })).toThrow();
    expect(sealer.open(sealed)).toEqual(secret("a", 1));
  });

  it("SECRETS_ENCRYPTION_KEY must be 32 bytes of base64", () => {
    expect(secretsKeyFromEnv(undefined)).toBeUndefined();
    expect(secretsKeyFromEnv(key.toString("base64"))).toEqual(key);
    expect(() => secretsKeyFromEnv("c2hvcnQ=")).toThrow(/32 bytes/);
  });
});
