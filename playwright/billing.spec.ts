import { readFileSync } from "node:fs";
import { expect, test, type Browser, type Page } from "@playwright/test";
import { freshEmail, operator } from "./accounts";
import { createTenantThroughUi, signInThroughUi, signUpThroughUi, trpcMutate } from "./helpers";

/** Engine time runs 10x in e2e: a VM boots in a few seconds, then the pod holds its requests. */
const ENGINE = { timeout: 120_000 };

/** "$1,234.56" → 123456n: the page's money, compared without floating point. */
const cents = (text: string | null) => BigInt((text ?? "").replace(/[^\d-]/g, "") || "0");

async function setCpuPrice(browser: Browser, perVcpuHour: string) {
  const context = await browser.newContext();
  const page = await context.newPage();
  await signInThroughUi(page, operator.email);
  await page.goto("/admin/billing");
  await expect(page.getByRole("heading", { level: 1, name: "Billing" })).toBeVisible();
  await page.getByRole("textbox", { name: "Per vCPU-hour" }).fill(perVcpuHour);
  await page.getByRole("button", { name: "Save version" }).click();
  await expect(
    page
      .getByRole("table", { name: "Price-plan versions" })
      .getByRole("cell", { name: `${perVcpuHour} USD` })
      .first(),
  ).toBeVisible();
  await context.close();
}

async function startDeployment(page: Page) {
  await trpcMutate(page, "deployments.create", {
    name: "shop",
    replicas: 2,
    template: {
      spec: {
        containers: [{ name: "web", image: "nginx:1.27", resources: { requests: { cpu: "500m", memory: "256Mi" } } }],
      },
    },
  });
}

test("a running deployment accrues cost, the forecast follows a price change, and the invoice downloads as CSV", async ({
  page,
  browser,
}) => {
  test.setTimeout(300_000);
  // Prices high enough that seconds of engine time show as cents.
  await setCpuPrice(browser, "360");

  await signUpThroughUi(page, freshEmail("payer"));
  await createTenantThroughUi(page, "Billing Lab");
  await startDeployment(page);

  await page.goto("/billing");
  await expect(page.getByRole("heading", { level: 1, name: "Billing" })).toBeVisible();
  const monthSoFar = page.getByTestId("month-so-far");
  await expect.poll(async () => cents(await monthSoFar.textContent()), ENGINE).toBeGreaterThan(0n);
  const first = cents(await monthSoFar.textContent());
  await expect.poll(async () => cents(await monthSoFar.textContent()), ENGINE).toBeGreaterThan(first);
  await expect(page.getByText(/^VMs are billed while they exist, warm standbys included/)).toBeVisible();
  await expect(page.getByRole("figure", { name: "Daily cost this month" })).toBeVisible();

  // An operator doubles the vCPU price: the forecast to month end follows (it jumps, it does not drift).
  const forecast = page.getByTestId("forecast");
  const before = cents(await forecast.textContent());
  await setCpuPrice(browser, "720");
  await page.reload();
  await expect.poll(async () => cents(await forecast.textContent()), ENGINE).toBeGreaterThan((before * 3n) / 2n);

  // The running invoice downloads as CSV; its lines add up to its total, to the cent.
  const row = page.getByRole("table", { name: "Invoices" }).getByRole("row").filter({ hasText: "Running" });
  const [download] = await Promise.all([
    page.waitForEvent("download"),
    row.getByRole("button", { name: "Download CSV" }).click(),
  ]);
  expect(download.suggestedFilename()).toMatch(/^invoice-.*\.csv$/);
  const csv = readFileSync((await download.path()) as string, "utf8")
    .trim()
    .split("\n")
    .map((l) => l.split(","));
  expect(csv[0]).toEqual([
    "invoice",
    "period",
    "status",
    "resource",
    "deployment",
    "quantity",
    "unit",
    "unit_price",
    "amount",
    "currency",
  ]);
  const total = csv[csv.length - 1] as string[];
  expect(total[3]).toBe("total");
  const lines = csv.slice(1, -1);
  expect(lines.map((l) => l[3])).toEqual(expect.arrayContaining(["cpu", "memory", "node:4c8g"]));
  // The price changed mid-month: one cpu line per price, both for the deployment.
  const cpu = lines.filter((l) => l[3] === "cpu");
  expect(cpu.map((l) => l[4])).toEqual(["shop", "shop"]);
  expect(cpu.map((l) => l[7]).sort()).toEqual(["360.000000", "720.000000"]);
  expect(lines.reduce((s, l) => s + cents(l[8] as string), 0n)).toBe(cents(total[8] as string));
  expect(cents(total[8] as string)).toBeGreaterThan(0n);

  // The printable page shows the same lines.
  await row.getByRole("link", { name: "View" }).click();
  await expect(page.getByRole("heading", { level: 1, name: /^Invoice for / })).toBeVisible();
  await expect(
    page.getByRole("table", { name: "Invoice lines" }).getByRole("cell", { name: "shop" }).first(),
  ).toBeVisible();
});
