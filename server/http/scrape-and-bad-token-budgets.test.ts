/**
 * Call budgets beyond signed-in tRPC callers, over real HTTP: a Prometheus scrape spends a read
 * of its token's budget (shared with the token's tRPC reads) and answers 429 with Retry-After
 * once it is spent; calls with a token that does not resolve spend their client address's
 * budget, on /api/trpc and /api/metrics alike, so a flood of guessed tokens is throttled.
 * PGlite by default, PostgreSQL with TEST_DATABASE_URL.
 */
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { startTestServer, type TestServer } from "../testing/http-server";

let server: TestServer;
const limits = { reads: 5, writes: 3 };

beforeAll(async () => {
  server = await startTestServer({ limits });
}, 60_000);
afterAll(async () => server?.close());

const bearer = (token: string) => ({ authorization: `Bearer ${token}`, "x-tc-client": "http-test" });
const scrape = (token: string) => fetch(`${server.url}/api/metrics`, { headers: bearer(token) });
const read = (token: string) =>
  fetch(`${server.url}/api/trpc/tenants.current?input=${encodeURIComponent(JSON.stringify({ json: {} }))}`, {
    headers: bearer(token),
  });
const write = (token: string) =>
  fetch(`${server.url}/api/trpc/tenants.rename`, {
    method: "POST",
    headers: { ...bearer(token), "content-type": "application/json" },
    body: JSON.stringify({ json: { name: "Renamed" } }),
  });

function expectRetryAfter(res: Response) {
  const retryAfter = Number(res.headers.get("retry-after"));
  expect(retryAfter).toBeGreaterThanOrEqual(1);
  expect(retryAfter).toBeLessThanOrEqual(60);
}

describe("scrape budget", () => {
  it("answers 429 with Retry-After once the token's reads are spent, counting tRPC reads too", async () => {
    const { token } = await server.tenantWithToken("scraper@budget.test", "scraper");
    expect((await read(token)).status).toBe(200);
    for (let i = 1; i < limits.reads; i++) expect((await scrape(token)).status).toBe(200);
    const refused = await scrape(token);
    expect(refused.status).toBe(429);
    expectRetryAfter(refused);
    expect(await refused.text()).toContain(`at most ${limits.reads} reads`);
    expect((await read(token)).status).toBe(429);
  });
});

describe("tokens that do not resolve", () => {
  it("spend their address's budget: 401 until it is spent, then 429 on tRPC and on /api/metrics", async () => {
    const guessed = `${"x".repeat(32)}-guessed`;
    for (let i = 0; i < limits.reads; i++) expect((await read(`${guessed}${i}`)).status).toBe(401);
    const refused = await read(`${guessed}-next`);
    expect(refused.status).toBe(429);
    expectRetryAfter(refused);
    expect((await refused.json()).error).toMatchObject({ code: "TOO_MANY_REQUESTS" });
    const scrapeRefused = await scrape(`${guessed}-scrape`);
    expect(scrapeRefused.status).toBe(429);
    expectRetryAfter(scrapeRefused);

    // Writes have their own budget; a valid token from the same address keeps its own.
    for (let i = 0; i < limits.writes; i++) expect((await write(`${guessed}w${i}`)).status).toBe(401);
    expect((await write(`${guessed}-w-next`)).status).toBe(429);
    const { token } = await server.tenantWithToken("honest@budget.test", "honest");
    expect((await read(token)).status).toBe(200);
    expect((await scrape(token)).status).toBe(200);
  });
});
