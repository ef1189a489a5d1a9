import { expect, test, type Locator } from "@playwright/test";
import { freshEmail } from "./accounts";
import { createTenantThroughUi, signUpThroughUi, trpcMutate } from "./helpers";

/** Engine time runs 10x in e2e: a VM boots in ~2 s, a :crash container exits 0.2 s after it starts. */
const ENGINE = { timeout: 90_000 };
const crashing = /Degraded: (CrashLoopBackOff|BackOff)/;

/** A badge that is not green: it carries a non-Available health and no emerald (good) colour. */
async function expectNotGreen(badge: Locator) {
  await expect(badge).toHaveAttribute("data-health", /^(Degraded|Failed)$/);
  await expect(badge.locator("span")).not.toHaveClass(/emerald/);
}

test("a crash-looping deployment reads Degraded with its reason on the list, its page, its pods and the overview", async ({
  page,
}) => {
  test.setTimeout(240_000);
  await signUpThroughUi(page, freshEmail("health"));
  await createTenantThroughUi(page, "Health Lab");
  await trpcMutate(page, "deployments.create", {
    name: "worker",
    replicas: 2,
    template: { labels: { app: "worker" }, spec: { containers: [{ name: "worker", image: "myapp:crash" }] } },
  });
  await trpcMutate(page, "deployments.create", {
    name: "web",
    replicas: 1,
    template: { spec: { containers: [{ name: "web", image: "nginx:1.27" }] } },
  });

  // The list: Degraded with the reason and the engine's message; the healthy one Available.
  await page.goto("/workloads");
  const worker = page.getByRole("row").filter({ has: page.getByRole("link", { name: "worker", exact: true }) });
  const web = page.getByRole("row").filter({ has: page.getByRole("link", { name: "web", exact: true }) });
  await expect(worker).toContainText(crashing, ENGINE);
  await expect(worker).toContainText("restarting failed container");
  await expect(web).toContainText("Available", ENGINE);
  await expectNotGreen(worker.locator("[data-health]"));
  await page.screenshot({ path: ".test-results/screenshots/workloads-degraded.png", fullPage: true });

  // The deployment page: the same health in the header, what blocks it, and pods that are not green.
  await worker.getByRole("link", { name: "worker", exact: true }).click();
  await expect(page.getByRole("heading", { level: 1, name: "worker" })).toBeVisible();
  await expect(page.locator("header, main").getByText(crashing).first()).toBeVisible(ENGINE);
  const blocking = page.getByRole("region", { name: "Blocking" });
  await expect(blocking).toContainText(/CrashLoopBackOff|BackOff/);
  await expect(blocking).toContainText(/restarting failed container/i);
  await expect(page.getByText("Not healthy: the reason below keeps pods from running.")).toBeVisible();
  await expect(page.getByText("this page updates by itself")).toHaveCount(0);
  const pods = page
    .getByRole("table", { name: "Pods" })
    .getByRole("row")
    .filter({ has: page.getByRole("link") });
  await expect(pods).toHaveCount(2, ENGINE);
  await expect(pods.filter({ hasText: "CrashLoopBackOff" }).first()).toBeVisible(ENGINE);
  for (const row of await pods.all()) await expectNotGreen(row.locator("[data-health]"));
  await page.screenshot({ path: ".test-results/screenshots/deployment-degraded.png", fullPage: true });

  // The pods page and a pod's page: CrashLoopBackOff is not a green "Running".
  await page.goto("/pods?deployment=worker");
  const podRow = page
    .getByRole("table", { name: "Pods" })
    .getByRole("row")
    .filter({ hasText: "CrashLoopBackOff" })
    .first();
  await expect(podRow).toBeVisible(ENGINE);
  await expectNotGreen(podRow.locator("[data-health]"));
  await podRow.getByRole("link").first().click();
  await expect(page.getByRole("heading", { level: 2, name: "Containers" })).toBeVisible();
  await expectNotGreen(page.locator("[data-health]").first());
  await expect(page.getByTestId("pod-health-reason")).toContainText(/CrashLoopBackOff|BackOff/);

  // The overview's "Needs attention": the deployment, with its reason.
  await page.goto("/overview");
  const attention = page.getByRole("region", { name: "Needs attention" });
  const item = attention.getByRole("listitem").filter({ has: page.getByRole("link", { name: "deployment/worker" }) });
  await expect(item).toContainText(crashing, ENGINE);
  await expect(item).toContainText("restarting failed container");
  await expect(attention.getByRole("link", { name: "deployment/web" })).toHaveCount(0);
  await page.screenshot({ path: ".test-results/screenshots/overview-attention.png", fullPage: true });
});
