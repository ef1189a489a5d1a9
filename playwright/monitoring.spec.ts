import { expect, test, type Page } from "@playwright/test";
import { freshEmail, operator, password } from "./accounts";
import { createTenantThroughUi, signUpThroughUi, trpcMutate, trpcQuery } from "./helpers";

/** Samples arrive every 10 s of engine time (1 s of wall time here: the engine runs 10x); VMs boot first. */
const SAMPLES = { timeout: 180_000, intervals: [1_000, 2_000] };
async function podsOf(page: Page, deployment: string): Promise<string[]> {
  return (await trpcQuery<{ items: { name: string }[] }>(page, "pods.list", { deployment, limit: 10 })).items.map(
    (p) => p.name,
  );
}

/** The chart's text summary carries the latest value of its first series (in the shown unit). */
async function latest(page: Page, chart: string): Promise<number> {
  const value = await page.getByTestId(`chart-summary-${chart}`).first().getAttribute("data-latest");
  return value ? Number(value) : 0;
}

test("a running deployment's chart shows data, with request and limit lines", async ({ page }) => {
  test.setTimeout(360_000);
  await signUpThroughUi(page, freshEmail("monitor"));
  await createTenantThroughUi(page, "Metrics Lab");

  await page.goto("/monitoring");
  await expect(page.getByRole("heading", { level: 1, name: "Monitoring" })).toBeVisible();
  await expect(page.getByText("No samples yet: samples arrive every 10 s once a pod runs.").first()).toBeVisible();

  await trpcMutate(page, "deployments.create", {
    name: "busy",
    replicas: 1,
    template: {
      spec: {
        containers: [
          {
            name: "busy",
            image: "nginx:1.27",
            env: [{ name: "SIM_CPU", value: "300" }],
            resources: { requests: { cpu: "500m", memory: "256Mi" }, limits: { cpu: "1", memory: "512Mi" } },
          },
        ],
      },
    },
  });

  await page.goto("/workloads/busy");
  await expect(page.getByRole("heading", { level: 2, name: "Monitoring" })).toBeVisible();
  await expect.poll(() => latest(page, "cpu"), SAMPLES).toBeGreaterThan(0);
  const cpu = page.getByTestId("chart-summary-cpu");
  await expect(cpu).toContainText(/CPU used 0\.\d+ cores/);
  await expect(cpu).toContainText("Requests 0.5 cores");
  await expect(cpu).toContainText("Limits 1 core");
  // The summary's peak is a plotted point (not a bucket's hidden maximum), and the axis reads in nice steps.
  await expect(cpu).toContainText(/Peak CPU used: 0\.\d+ cores\./);
  const peak = Number(await cpu.getAttribute("data-peak"));
  expect(peak).toBeGreaterThanOrEqual(Number(await cpu.getAttribute("data-latest")));
  const tickLabels = page
    .getByTestId("chart-cpu")
    .first()
    .locator(".recharts-yAxis-tick-labels .recharts-cartesian-axis-tick-value");
  await expect(tickLabels.first()).toBeVisible();
  const ticks = (await tickLabels.allTextContents()).map(Number);
  expect(ticks[0]).toBe(0);
  const step = ticks[1]! - ticks[0]!;
  expect([1, 2, 2.5, 5]).toContain(Number((step / 10 ** Math.floor(Math.log10(step))).toFixed(6)));
  ticks.forEach((v, i) => {
    expect(v).toBeCloseTo(i * step, 6);
  });
  expect(ticks[ticks.length - 1]).toBeGreaterThanOrEqual(Math.max(peak, 1));
  await expect(page.getByTestId("chart-summary-memory")).toContainText(/Working set \d+(\.\d+)? MiB/);
  await expect(page.getByRole("figure", { name: "CPU by revision" })).toBeVisible();
  await expect(page.getByRole("heading", { level: 2, name: "Alert rules" })).toBeVisible();
  await page.getByTestId("chart-cpu").scrollIntoViewIfNeeded();
  await page.screenshot({ path: ".test-results/screenshots/monitoring-deployment.png", fullPage: true });

  // An alert rule: create, see it listed, delete it.
  await page.getByRole("textbox", { name: "Percent of request" }).fill("50");
  await page.getByRole("textbox", { name: "For (minutes)" }).fill("2");
  await page.getByRole("button", { name: "Add rule" }).click();
  const rules = page.getByRole("table", { name: "Alert rules" });
  await expect(rules.getByRole("row").filter({ hasText: "CPU above 50 % of requests for 2 min" })).toBeVisible();
  await page.getByRole("button", { name: "Delete rule: CPU above 50 % of requests for 2 min" }).click();
  await page
    .getByRole("dialog")
    .filter({ hasText: "Delete this alert rule?" })
    .getByRole("button", { name: "Delete" })
    .click();
  await expect(rules).toHaveCount(0);

  // The tenant's Monitoring page: tenant charts, a deployment as target, the busiest pods.
  await page.goto("/monitoring");
  await expect.poll(() => latest(page, "cpu"), SAMPLES).toBeGreaterThan(0);
  await expect(page.getByTestId("chart-summary-network")).toContainText("Mbit/s");
  await expect(page.getByTestId("chart-summary-tcp")).toContainText("connections");
  await expect(page.getByRole("table", { name: "Top pods by CPU" }).getByRole("link", { name: /^busy-/ })).toBeVisible(
    SAMPLES,
  );
  await page.getByRole("radio", { name: "1 h" }).click();
  await expect(page.getByRole("radio", { name: "1 h" })).toHaveAttribute("aria-checked", "true");
  await expect.poll(() => latest(page, "cpu"), SAMPLES).toBeGreaterThan(0);
  await page.screenshot({ path: ".test-results/screenshots/monitoring.png", fullPage: true });
  await page.getByRole("combobox", { name: "Show" }).selectOption("deployment");
  await expect(page.getByRole("combobox", { name: "Deployment" })).toHaveValue("busy");
  await expect.poll(() => latest(page, "cpu"), SAMPLES).toBeGreaterThan(0);
});

test("a crash-looping container's restarts show on its chart", async ({ page }) => {
  test.setTimeout(300_000);
  await signUpThroughUi(page, freshEmail("crash"));
  await createTenantThroughUi(page, "Crash Lab");
  await trpcMutate(page, "deployments.create", {
    name: "crasher",
    replicas: 1,
    template: { spec: { containers: [{ name: "crasher", image: "busybox:crash" }] } },
  });
  await expect.poll(async () => (await podsOf(page, "crasher")).length, SAMPLES).toBe(1);
  const [pod] = await podsOf(page, "crasher");

  await page.goto(`/pods/${pod}`);
  const card = page.getByTestId("chart-cpu");
  await expect(card).toBeVisible();
  const restarts = card.getByTestId("restart-count");
  await expect
    .poll(async () => Number((await restarts.getAttribute("data-count")) ?? 0), SAMPLES)
    .toBeGreaterThanOrEqual(1);
  await expect(restarts).toContainText(/\d+ restarts?/);
  await expect(restarts).toContainText("Last exit: Error");
  // The BackOff events are marked on the chart (announced in its summary).
  await expect(page.getByTestId("chart-summary-cpu")).toContainText(/restarts? marked/, SAMPLES);
  await page.screenshot({ path: ".test-results/screenshots/monitoring-crashloop-pod.png", fullPage: true });
});

test("an operator sees cluster and node utilisation and the busiest tenants", async ({ page, baseURL }) => {
  test.setTimeout(240_000);
  // Signed in through the API (the page shares its cookies): this test is about the operator view, not the sign-in form.
  const signIn = await page.request.post("/api/auth/sign-in/email", {
    headers: { origin: baseURL ?? "" },
    data: { email: operator.email, password },
  });
  expect(signIn.status(), await signIn.text()).toBe(200);
  await page.goto("/admin/monitoring");
  await expect(page.getByRole("heading", { level: 1, name: "Cluster monitoring" })).toBeVisible();
  await expect.poll(() => latest(page, "cluster-cpu"), SAMPLES).toBeGreaterThan(0);
  await expect(page.getByTestId("chart-summary-cluster-cpu")).toContainText(/Capacity \d+ cores/);
  const busiest = page.getByRole("table", { name: "Busiest tenants (last full minute)" });
  await expect(busiest.getByRole("row").filter({ hasText: "Metrics Lab" })).toBeVisible(SAMPLES);
  await page.screenshot({ path: ".test-results/screenshots/monitoring-admin.png", fullPage: true });

  // One node: its own series.
  const scope = page.getByRole("combobox", { name: "Show" });
  const nodeOption = scope.locator("option").filter({ hasText: "(Metrics Lab)" }).first();
  await scope.selectOption((await nodeOption.getAttribute("value")) ?? "");
  await expect.poll(() => latest(page, "node-cpu"), SAMPLES).toBeGreaterThan(0);
});
