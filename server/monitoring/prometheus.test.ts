import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { createHarness, type Harness, type TestUser } from "@/server/testing/harness";
import { scrape } from "./scrape";

let h: Harness;
let operator: TestUser;
const tokens: Record<string, string> = {};

beforeAll(async () => {
  h = await createHarness();
  operator = await h.signUp("ops@prom.test");
  for (const slug of ["prom-a", "prom-b"]) {
    const owner = await h.signUp(`owner@${slug}.test`);
    await (await owner.caller()).tenants.create({ name: slug, slug });
    await (await owner.caller()).deployments.create({
      name: `${slug}-web`,
      replicas: 1,
      template: { spec: { containers: [{ name: "app", image: "nginx:1.27" }] } },
    });
    tokens[slug] = (await (await owner.caller()).tokens.create({ name: "prometheus" })).secret;
  }
  await (await operator.caller()).tenants.create({ name: "Ops", slug: "ops-home" });
  // Operator-wide tokens are made on the admin dashboard; a token made in a tenant stays in it (point 19).
  tokens.operator = (await (await operator.caller()).operatorTokens.create({ name: "scraper" })).secret;
  await h.services.engine.settle();
  await h.services.engine.runFor(30_000);
  await h.services.monitoring.flush();
}, 120_000);
afterAll(async () => h.close());

const scrapeWith = (token?: string) =>
  scrape(h.services, new Headers(token ? { authorization: `Bearer ${token}` } : {}));

describe("/api/metrics", () => {
  it("serves a tenant's token only that tenant's series, in the exposition format", async () => {
    const result = await scrapeWith(tokens["prom-a"]);
    expect(result.status).toBe(200);
    expect(result.contentType).toMatch(/^text\/plain; version=0\.0\.4/);
    expect(result.body).toMatch(/^# HELP container_cpu_usage_millicores /m);
    expect(result.body).toMatch(/container_memory_working_set_bytes\{[^}]*deployment="prom-a-web"[^}]*\} \d+/);
    expect(result.body).not.toContain("prom-b-web");
  });

  it("serves an operator's token every tenant", async () => {
    const result = await scrapeWith(tokens.operator);
    expect(result.body).toContain('deployment="prom-a-web"');
    expect(result.body).toContain('deployment="prom-b-web"');
  });

  it("refuses a scrape without a token or with a bad one", async () => {
    expect((await scrapeWith()).status).toBe(401);
    const bad = await scrapeWith("tc_nope");
    expect(bad.status).toBe(401);
    expect(bad.body).toContain("invalid or has been revoked");
  });
});
