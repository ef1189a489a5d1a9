/**
 * Every page of the navigation, and the main detail pages, as a tenant owner, a viewer and an
 * operator: no page may answer or fetch anything with a 4xx/5xx from our server, throw an
 * uncaught error, or log a console error (a refused script under the CSP is one). Problems are
 * collected over the whole crawl of a role and reported together.
 */
import { type BrowserContext, expect, type Page, test } from "@playwright/test";
import { adminNav, tenantNav } from "../components/console/nav";
import { freshEmail, operator, password } from "./accounts";
import { inviteAndJoin, type SeededTenant, seedTenant, signIn, signUpAndIn } from "./api-session";

test.describe.configure({ mode: "serial" });

let ownerContext: BrowserContext;
let owner: Page;
let seeded: SeededTenant;

test.beforeAll(async ({ browser, baseURL }) => {
  test.setTimeout(120_000);
  ownerContext = await browser.newContext();
  owner = await ownerContext.newPage();
  await signUpAndIn(owner.request, baseURL ?? "", freshEmail("crawl-owner"));
  seeded = await seedTenant(owner, "crawl");
});
test.afterAll(async () => ownerContext?.close());

/** Watches a page for what must never happen; `problems` lists each occurrence with its page. */
function watch(page: Page, baseURL: string) {
  const problems: string[] = [];
  let at = "(before the first page)";
  page.on("response", (response) => {
    if (response.url().startsWith(baseURL) && response.status() >= 400)
      problems.push(`${at}: HTTP ${response.status()} ${response.request().method()} ${response.url()}`);
  });
  page.on("pageerror", (error) => problems.push(`${at}: uncaught ${error.name}: ${error.message}`));
  page.on("console", (message) => {
    if (message.type() === "error") problems.push(`${at}: console error: ${message.text()}`);
  });
  return {
    problems,
    async visit(path: string) {
      at = path;
      const response = await page.goto(path);
      expect(response?.status(), `${path} answered`).toBeLessThan(400);
      await expect(page.getByRole("heading", { level: 1 }).first()).toBeVisible();
      // Polling pages keep fetching; "network idle" is the gap between polls, after the first load.
      await page.waitForLoadState("networkidle");
    },
  };
}

const detailPages = () => [
  `/workloads/${seeded.deployment}`,
  `/pods/${seeded.pod}`,
  `/billing/invoices/${seeded.invoice}`,
  "/workloads/new",
  "/tenants/new",
];

test("the tenant owner's pages load cleanly", async ({ baseURL }) => {
  test.setTimeout(240_000);
  const crawl = watch(owner, baseURL ?? "");
  for (const { href } of tenantNav) await crawl.visit(href);
  for (const path of detailPages()) await crawl.visit(path);
  expect(crawl.problems).toEqual([]);
});

test("a viewer's pages load cleanly", async ({ browser, baseURL }) => {
  test.setTimeout(240_000);
  const context = await browser.newContext();
  const viewer = await context.newPage();
  await inviteAndJoin(owner, viewer, baseURL ?? "", "viewer");
  const crawl = watch(viewer, baseURL ?? "");
  for (const { href } of tenantNav) await crawl.visit(href);
  for (const path of detailPages().filter((p) => p !== "/workloads/new")) await crawl.visit(path);
  await context.close();
  expect(crawl.problems).toEqual([]);
});

test("the operator's admin pages load cleanly", async ({ browser, baseURL }) => {
  test.setTimeout(240_000);
  const context = await browser.newContext();
  const page = await context.newPage();
  await signIn(page.request, baseURL ?? "", operator.email, password);
  const crawl = watch(page, baseURL ?? "");
  for (const { href } of adminNav) await crawl.visit(href);
  await context.close();
  expect(crawl.problems).toEqual([]);
});

test("a new account without a tenant is led to create one, cleanly", async ({ browser, baseURL }) => {
  const context = await browser.newContext();
  const page = await context.newPage();
  await signUpAndIn(page.request, baseURL ?? "", freshEmail("crawl-new"));
  const crawl = watch(page, baseURL ?? "");
  await crawl.visit("/overview");
  await crawl.visit("/tenants/new");
  await context.close();
  expect(crawl.problems).toEqual([]);
});
