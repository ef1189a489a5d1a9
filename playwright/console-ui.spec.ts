import { expect, test, type Browser, type Page } from "@playwright/test";
import { freshEmail, operator } from "./accounts";
import { createTenantThroughUi, signInThroughUi, signUpThroughUi, trpcMutate, trpcQuery } from "./helpers";

/** The console's frame: the 404 page, the tenant switcher with many tenants, admin tables on a phone. */

interface UserRow {
  id: string;
  email: string;
}

/** Makes `email` an operator, as the seeded operator, through the admin API (operators may own any number of tenants). */
async function promote(browser: Browser, email: string): Promise<void> {
  const context = await browser.newContext();
  const admin = await context.newPage();
  await signInThroughUi(admin, operator.email);
  const users = await trpcQuery<{ items: UserRow[] }>(admin, "admin.users", { limit: 10, search: email });
  await trpcMutate(admin, "admin.setOperator", { id: users.items[0]!.id, isOperator: true });
  await context.close();
}

async function createTenants(page: Page, prefix: string, count: number): Promise<void> {
  for (let i = 1; i <= count; i++) {
    await trpcMutate(page, "tenants.create", {
      name: `${prefix} ${String(i).padStart(2, "0")}`,
      slug: `${prefix.toLowerCase()}-${String(i).padStart(2, "0")}`,
    });
  }
}

test("the 404 page is styled, translated, and leads back, in both languages", async ({ page, context, baseURL }) => {
  const res = await page.goto("/no-such-page");
  expect(res?.status()).toBe(404);
  const heading = page.getByRole("heading", { level: 1, name: "Page not found" });
  await expect(heading).toBeVisible();
  // Styled by the app (its font size), not Next's bare default ("404 | This page could not be found.").
  expect(await heading.evaluate((h) => getComputedStyle(h).fontSize)).toBe("24px");
  await expect(page.getByText("This page could not be found")).toHaveCount(0);
  await page.screenshot({ path: ".test-results/screenshots/not-found-en.png", fullPage: true });
  await page.getByRole("link", { name: "Back to the console" }).click();
  await expect(page).toHaveURL(/\/sign-in$/);

  await context.addCookies([{ name: "tc-locale", value: "zh-CN", url: baseURL ?? "" }]);
  await page.goto("/pods/x/y/z");
  await expect(page.getByRole("heading", { level: 1, name: "找不到页面" })).toBeVisible();
  await expect(page.getByRole("link", { name: "返回控制台" })).toBeVisible();
  await expect(page.locator("html")).toHaveAttribute("lang", "zh-CN");
  await page.screenshot({ path: ".test-results/screenshots/not-found-zh.png", fullPage: true });
});

test("the tenant switcher finds one tenant among 55, and the admin tables work on a phone", async ({
  page,
  browser,
}) => {
  test.setTimeout(240_000);
  const email = freshEmail("many");
  await signUpThroughUi(page, email);
  await createTenantThroughUi(page, "Many 00");
  await promote(browser, email);
  await createTenants(page, "Many", 55);
  await page.goto("/overview");

  const switcher = page.getByRole("button", { name: /^Tenant / });
  await switcher.click();
  const panel = page.getByRole("dialog", { name: "Your tenants" });
  await expect(panel.getByText("56 of 56 tenants")).toBeVisible();
  await expect(panel.getByRole("list", { name: "Your tenants" }).getByRole("button")).toHaveCount(8);
  await expect(panel.getByText("Page 1 of 7")).toBeVisible();
  await panel.getByRole("button", { name: "Next page" }).click();
  await expect(panel.getByText("Page 2 of 7")).toBeVisible();
  await panel.getByRole("searchbox", { name: "Search your tenants" }).fill("many-42");
  await expect(panel.getByText("1 of 56 tenants")).toBeVisible();
  await expect(panel.getByText("Page 1 of 7")).toHaveCount(0);
  await page.screenshot({ path: ".test-results/screenshots/tenant-switcher.png" });
  await panel.getByRole("button", { name: /Many 42/ }).click();
  await expect(page.getByRole("heading", { level: 1, name: "Many 42" })).toBeVisible();
  await expect(switcher).toContainText("Many 42");

  // Admin → Tenants counts each tenant's members (it read 0 for every tenant).
  await page.goto("/admin/tenants");
  await page.getByRole("searchbox", { name: "Search tenants" }).fill("many-42");
  await page.getByRole("button", { name: "Search", exact: true }).click();
  const row = page.getByRole("table", { name: "Tenants" }).getByRole("row").filter({ hasText: "many-42" });
  await expect(row.getByRole("cell").nth(2)).toHaveText("1");

  // On a 390 px phone the table scrolls inside its frame, the page does not, and each row's actions stay in view.
  await page.setViewportSize({ width: 390, height: 844 });
  await page.getByRole("searchbox", { name: "Search tenants" }).fill("many");
  await page.getByRole("button", { name: "Search", exact: true }).click();
  const table = page.getByRole("table", { name: "Tenants" });
  await expect(table.getByRole("row")).toHaveCount(26);
  expect(await page.evaluate(() => document.documentElement.scrollWidth)).toBeLessThanOrEqual(390);
  const frame = page.locator("[data-table-scroll]").filter({ has: table });
  expect(await frame.evaluate((el) => el.scrollWidth > el.clientWidth)).toBe(true);
  const first = table.getByRole("row").nth(1);
  await expect(first.getByRole("button", { name: "Edit quota" })).toBeInViewport();
  await page.getByRole("button", { name: "Next page" }).click();
  await expect(page.getByText("Page 2", { exact: true })).toBeVisible();
  await page.screenshot({ path: ".test-results/screenshots/admin-tenants-phone.png", fullPage: true });
  await table.getByRole("row").nth(1).getByRole("button", { name: "Edit quota" }).click();
  await expect(page.getByRole("dialog", { name: /^Quota of / })).toBeVisible();
});
