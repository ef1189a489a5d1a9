/**
 * The tRPC boundary over real HTTP (the handler production serves, on a real port): one audit
 * record per call of a batch with its own tenant and target, unstorable text refused with 400
 * and still audited, malformed Origin headers answered 4xx, call budgets answered 429 with
 * Retry-After, and the cap on calls per batch. PGlite by default, PostgreSQL with TEST_DATABASE_URL.
 */
import { eq } from "drizzle-orm";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { auditLog } from "@/db/schema";
import { startTestServer, type TestServer } from "../testing/http-server";

let server: TestServer;
const limits = { reads: 30, writes: 12, maxBatchCalls: 6 };

beforeAll(async () => {
  server = await startTestServer({ limits });
}, 60_000);
afterAll(async () => server?.close());

const client = { "x-tc-client": "http-test", "content-type": "application/json" };

/** A tRPC POST (mutation) of one call, or of a batch when `paths` has several. */
function post(auth: Record<string, string>, paths: string[], inputs: unknown[], extra: Record<string, string> = {}) {
  const batch = paths.length > 1;
  const body = batch ? Object.fromEntries(inputs.map((input, i) => [i, { json: input }])) : { json: inputs[0] };
  return fetch(`${server.url}/api/trpc/${paths.join(",")}${batch ? "?batch=1" : ""}`, {
    method: "POST",
    headers: { ...client, ...auth, ...extra },
    body: JSON.stringify(body),
  });
}

function get(auth: Record<string, string>, paths: string[], inputs: unknown[] = paths.map(() => undefined)) {
  const input = Object.fromEntries(inputs.map((value, i) => [i, { json: value }]));
  const query = `batch=1&input=${encodeURIComponent(JSON.stringify(input))}`;
  return fetch(`${server.url}/api/trpc/${paths.join(",")}?${query}`, { headers: { ...client, ...auth } });
}

async function auditOf(email: string) {
  const rows = await server.services.db.select().from(auditLog).where(eq(auditLog.actorEmail, email));
  return rows.sort((a, b) => a.id - b.id);
}

/** A user with two tenants (A active), through the same procedures the console uses. */
async function ownerOfTwoTenants(prefix: string) {
  const email = `${prefix}@boundary.test`;
  const user = await server.signUp(email);
  const tenantB = await (await user.caller()).tenants.create({ name: `${prefix} B`, slug: `${prefix}-b` });
  const tenantA = await (await user.caller()).tenants.create({ name: `${prefix} A`, slug: `${prefix}-a` });
  return { email, auth: { cookie: user.cookie }, caller: user.caller, tenantA, tenantB };
}

const unstorable =
  "Contains a NUL character (U+0000) or an unpaired UTF-16 surrogate, which cannot be stored; remove it.";
const template = {
  spec: {
    containers: [{ name: "web", image: "nginx:1.27", resources: { requests: { cpu: "100m", memory: "64Mi" } } }],
  },
};

describe("audit of a batched request", () => {
  it("writes one record per call, each with the tenant it acted in and its own target", async () => {
    const { email, auth, caller, tenantA, tenantB } = await ownerOfTwoTenants("batch");
    await (await caller()).deployments.create({ name: "doomed", replicas: 0, template });
    const before = (await auditOf(email)).length;

    // Deleting in A (the active tenant), switching to B and renaming A, all in one request.
    const res = await post(
      auth,
      ["deployments.delete", "tenants.switch", "tenants.rename"],
      [{ name: "doomed" }, { id: tenantB.id }, { name: "Renamed A" }],
    );
    expect(res.status, await res.clone().text()).toBe(200);

    const records = (await auditOf(email)).slice(before);
    const byAction = Object.fromEntries(records.map((r) => [r.action, r]));
    expect(records).toHaveLength(3);
    expect(byAction["deployments.delete"]).toMatchObject({
      tenantId: tenantA.id,
      target: "doomed",
      outcome: "success",
    });
    expect(byAction["tenants.switch"]).toMatchObject({ tenantId: tenantB.id, target: tenantB.id, outcome: "success" });
    expect(byAction["tenants.rename"]).toMatchObject({
      tenantId: tenantA.id,
      target: tenantA.slug,
      outcome: "success",
    });
  });
});

describe("text the database cannot store", () => {
  it("refuses a NUL byte in a field with 400 naming the field, creates nothing, and audits the attempt", async () => {
    const { email, auth, caller } = await ownerOfTwoTenants("nul");
    const res = await post(auth, ["deployments.create"], [{ name: "evil\u0000name", replicas: 0, template }]);
    expect(res.status).toBe(400);
    const body = await res.json();
    expect(body.error.json.message).toBe(`name: ${unstorable}`);
    expect(body.error.json.data).toMatchObject({
      code: "BAD_REQUEST",
      field: "name",
      fieldErrors: { name: [`name: ${unstorable}`] },
    });
    expect((await (await caller()).deployments.list({})).items).toHaveLength(0);

    const [record] = (await auditOf(email)).filter((r) => r.action === "deployments.create");
    expect(record).toMatchObject({ outcome: "failure", target: "evil\\u0000name", detail: { error: "BAD_REQUEST" } });
  });

  it("finds unstorable text anywhere: a deep value, an object key, an unpaired surrogate, a query's input", async () => {
    const { auth } = await ownerOfTwoTenants("deep");
    const deepValue = {
      ...template,
      spec: { containers: [{ ...template.spec.containers[0], env: [{ name: "A", value: "x\u0000" }] }] },
    };
    const res1 = await post(auth, ["deployments.create"], [{ name: "web", replicas: 0, template: deepValue }]);
    expect(res1.status).toBe(400);
    expect((await res1.json()).error.json.message).toBe(`template.spec.containers.0.env.0.value: ${unstorable}`);

    const res2 = await post(auth, ["deployments.create"], [{ name: "web", replicas: 0, template, "bad\u0000key": 1 }]);
    expect(res2.status).toBe(400);
    expect((await res2.json()).error.json.message).toBe(unstorable);

    // JSON can carry a lone surrogate as an escape; it is refused just the same.
    const res3 = await fetch(`${server.url}/api/trpc/tenants.rename`, {
      method: "POST",
      headers: { ...client, ...auth },
      body: '{"json":{"name":"x\\ud800"}}',
    });
    expect(res3.status).toBe(400);
    expect((await res3.json()).error.json.message).toBe(`name: ${unstorable}`);

    const res4 = await get(auth, ["deployments.get"], [{ name: "a\u0000" }]);
    expect(res4.status).toBe(400);

    // In the reader's language, like every other refusal.
    const res5 = await post({ ...auth, "accept-language": "zh-CN" }, ["tenants.rename"], [{ name: "x\u0000" }]);
    expect((await res5.json()).error.json.message).toBe(
      "name：包含无法保存的字符（NUL 字符 U+0000 或不成对的 UTF-16 代理项），请删除。",
    );
  });
});

describe("malformed requests", () => {
  it("answers Origin: null with 403 and an unparsable Origin with 400, never 500", async () => {
    const { auth } = await ownerOfTwoTenants("origin");
    const host = new URL(server.url).host;
    expect((await post(auth, ["tenants.rename"], [{ name: "x" }], { origin: "null", host })).status).toBe(403);
    expect((await post(auth, ["tenants.rename"], [{ name: "x" }], { origin: "http://[::1", host })).status).toBe(400);
    expect((await post(auth, ["tenants.rename"], [{ name: "x" }], { origin: "%%%", host })).status).toBe(400);
    expect((await post(auth, ["tenants.rename"], [{ name: "x" }], { origin: server.url, host })).status).toBe(200);
  });

  it("refuses a batch with more calls than the cap with 400 before running any of them", async () => {
    const { email, auth } = await ownerOfTwoTenants("cap");
    const tooMany = Array.from({ length: limits.maxBatchCalls + 1 }, () => "tenants.rename");
    const res = await post(
      auth,
      tooMany,
      tooMany.map(() => ({ name: "Nope" })),
    );
    expect(res.status).toBe(400);
    expect((await res.json()).error.message).toBe(
      `A batch may carry at most ${limits.maxBatchCalls} calls; this one has ${limits.maxBatchCalls + 1}. Send them in smaller batches.`,
    );
    expect((await auditOf(email)).filter((r) => r.action === "tenants.rename")).toHaveLength(0);
    expect(
      (
        await get(
          auth,
          Array.from({ length: limits.maxBatchCalls }, () => "tenants.current"),
        )
      ).status,
    ).toBe(200);
  });
});

describe("call budgets", () => {
  it("answers 429 with Retry-After once an account's reads are spent, counting each call of a batch", async () => {
    const { auth } = await ownerOfTwoTenants("reads");
    // One batch of 6 plus 24 single reads spends the 30 reads of the window.
    expect(
      (
        await get(
          auth,
          Array.from({ length: 6 }, () => "tenants.current"),
        )
      ).status,
    ).toBe(200);
    for (let i = 0; i < limits.reads - 6; i++) expect((await get(auth, ["tenants.current"])).status).toBe(200);
    const refused = await get(auth, ["tenants.current"]);
    expect(refused.status).toBe(429);
    const retryAfter = Number(refused.headers.get("retry-after"));
    expect(retryAfter).toBeGreaterThanOrEqual(1);
    expect(retryAfter).toBeLessThanOrEqual(60);
    expect((await refused.json()).error).toMatchObject({
      code: "TOO_MANY_REQUESTS",
      message: expect.stringContaining(`at most ${limits.reads} reads`),
    });

    // Writes have their own budget.
    expect((await post(auth, ["tenants.rename"], [{ name: "Still writable" }])).status).toBe(200);
  });

  it("gives each API token its own budget, apart from its creator's sessions", async () => {
    const { token } = await server.tenantWithToken("writer@boundary.test", "writer");
    const bearer = { authorization: `Bearer ${token}` };
    for (let i = 0; i < limits.writes; i++) {
      expect((await post(bearer, ["deployments.scale"], [{ name: "missing", replicas: 1 }])).status).toBe(404);
    }
    const refused = await post(bearer, ["deployments.scale"], [{ name: "missing", replicas: 1 }]);
    expect(refused.status).toBe(429);
    expect(Number(refused.headers.get("retry-after"))).toBeGreaterThanOrEqual(1);
    // The token's reads are untouched.
    expect((await get(bearer, ["tenants.current"])).status).toBe(200);
  });
});
