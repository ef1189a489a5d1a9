import { expect, test, type Page } from "@playwright/test";
import { freshEmail, operator } from "./accounts";
import {
  createTenantThroughUi,
  signInThroughUi,
  signUpThroughUi,
  trpcMutate as mutate,
  trpcQuery as query,
} from "./helpers";

/**
 * Nodes, drains and failure injection, end to end. Engine time runs 10x faster here: a VM boots
 * in ~5 s, a silent node turns NotReady after 5 s and its pods are evicted after 30 s.
 */

interface PodLite {
  name: string;
  nodeName?: string;
  deletionTimestamp?: number;
  status: { phase: string };
}
interface NodeLite {
  name: string;
  phase: string;
  warm: boolean;
  allocated: { pods: number };
}

const livePods = async (page: Page) =>
  (await query<{ items: PodLite[] }>(page, "pods.list", { limit: 100 })).items.filter((p) => !p.deletionTimestamp);
const tenantNodes = async (page: Page) =>
  (await query<{ items: NodeLite[] }>(page, "nodes.list", { limit: 100 })).items.filter((n) => !n.warm);

/** A tenant with two Ready nodes (pool minimum raised through the UI) running a 4-replica deployment. */
async function tenantWithTwoNodesAndFourPods(page: Page, tenantName: string): Promise<{ busy: string; other: string }> {
  await signUpThroughUi(page, freshEmail("infra"));
  await createTenantThroughUi(page, tenantName);
  await page
    .getByRole("navigation", { name: "Tenant console" })
    .getByRole("link", { name: "Nodes", exact: true })
    .click();
  await expect(page.getByRole("heading", { level: 1, name: "Nodes" })).toBeVisible();

  const pools = page.getByRole("table", { name: "Node pools" });
  const defaultPool = pools.getByRole("row").filter({ hasText: "default" });
  await defaultPool.getByRole("button", { name: "Edit" }).click();
  const dialog = page.getByRole("dialog", { name: "Edit pool default" });
  // The machine type is not offered for change: the server would refuse it.
  await expect(dialog.getByRole("combobox", { name: "Machine type" })).toHaveCount(0);
  await expect(dialog.getByText("A pool's machine type cannot be changed.", { exact: false })).toBeVisible();
  await dialog.getByLabel("Maximum nodes").fill("11");
  await dialog.getByRole("button", { name: "Save" }).click();
  await expect(dialog.getByText("At most 10: your tenant's node quota.", { exact: false })).toBeVisible();
  await dialog.getByLabel("Maximum nodes").fill("5");
  await dialog.getByLabel("Minimum nodes").fill("2");
  await dialog.getByRole("button", { name: "Save" }).click();
  await expect(dialog).toBeHidden();
  await expect(defaultPool.getByRole("cell").nth(2)).toHaveText("2");

  const nodesTable = page.getByRole("table", { name: "Nodes", exact: true });
  await expect(nodesTable.getByRole("cell", { name: "Ready", exact: true })).toHaveCount(2, { timeout: 45_000 });

  await mutate(page, "deployments.create", {
    name: "web",
    replicas: 4,
    template: { spec: { containers: [{ name: "web", image: "nginx:1.27" }] } },
  });
  await expect
    .poll(async () => (await livePods(page)).filter((p) => p.status.phase === "Running").length, { timeout: 45_000 })
    .toBe(4);

  const nodes = await tenantNodes(page);
  expect(nodes).toHaveLength(2);
  const [busy, other] = nodes.sort((a, b) => b.allocated.pods - a.allocated.pods);
  expect(busy!.allocated.pods).toBeGreaterThan(0);
  return { busy: busy!.name, other: other!.name };
}

test("drain a node and see its pods move", async ({ page }) => {
  test.setTimeout(180_000);
  const { busy, other } = await tenantWithTwoNodesAndFourPods(page, "Drain Works");

  const nodesTable = page.getByRole("table", { name: "Nodes", exact: true });
  const row = nodesTable.getByRole("row").filter({ hasText: busy });
  await row.getByRole("button", { name: "Drain" }).click();
  const confirm = page.getByRole("dialog");
  await expect(confirm.getByRole("heading", { name: `Drain ${busy}?` })).toBeVisible();
  await confirm.getByRole("button", { name: "Drain" }).click();

  await expect(row.getByRole("progressbar", { name: `Drain progress of ${busy}` })).toBeVisible();
  await expect(row.getByText("0 pods left")).toBeVisible({ timeout: 60_000 });
  await expect(row.getByText("Draining").or(row.getByText("Cordoned"))).toBeVisible();

  await expect
    .poll(
      async () =>
        (await livePods(page))
          .map((p) => `${p.status.phase}@${p.nodeName}`)
          .sort()
          .join(","),
      { timeout: 60_000 },
    )
    .toBe(Array(4).fill(`Running@${other}`).join(","));
  await expect(nodesTable.getByRole("meter", { name: `Pods on ${other}` })).toHaveAttribute("aria-valuenow", "4", {
    timeout: 15_000,
  });
  await page.screenshot({ path: ".test-results/screenshots/nodes.png", fullPage: true });

  await page
    .getByRole("navigation", { name: "Tenant console" })
    .getByRole("link", { name: "Overview", exact: true })
    .click();
  await expect(page.getByRole("heading", { level: 1, name: "Drain Works" })).toBeVisible();
  await expect(page.getByText("Running 4")).toBeVisible();
  await expect(page.getByRole("table", { name: "Latest events" })).toBeVisible();
  await page.screenshot({ path: ".test-results/screenshots/infra-overview.png", fullPage: true });
});

test("an operator injects a node failure and the tenant sees pods rescheduled", async ({ page, browser }) => {
  test.setTimeout(240_000);
  const { busy, other } = await tenantWithTwoNodesAndFourPods(page, "Failover Labs");
  const me = await query<{ current: { tenantId: string } }>(page, "session.me");
  const tenantId = me.current.tenantId;

  const operatorContext = await browser.newContext();
  const admin = await operatorContext.newPage();
  await signInThroughUi(admin, operator.email);
  await admin.goto("/admin");
  await expect(
    admin
      .getByRole("figure", { name: "Scheduler throughput (pods placed per second)" })
      .or(admin.getByText("No samples yet")),
  ).toBeVisible();
  // Many tenants: the usage table is searched, then shows the one.
  await admin.getByRole("searchbox", { name: "Search tenants" }).fill("Failover Labs");
  await expect(
    admin
      .getByRole("table", { name: "Capacity and usage by tenant" })
      .getByRole("row")
      .filter({ hasText: "Failover Labs" }),
  ).toBeVisible();
  await admin.screenshot({ path: ".test-results/screenshots/admin-cluster.png", fullPage: true });

  await admin.goto("/admin/tenants");
  await admin.getByRole("searchbox", { name: "Search tenants" }).fill("Failover Labs");
  await admin.getByRole("button", { name: "Search", exact: true }).click();
  const tenantRow = admin.getByRole("row").filter({ hasText: "Failover Labs" });
  await tenantRow.getByRole("button", { name: "Edit quota" }).click();
  const quota = admin.getByRole("dialog", { name: "Quota of Failover Labs" });
  await quota.getByLabel("Memory", { exact: true }).fill("lots");
  await quota.getByRole("button", { name: "Save quota" }).click();
  await expect(quota.getByText("Use a quantity such as 64Gi, 512Mi or 1G.")).toBeVisible();
  await quota.getByLabel("Memory", { exact: true }).fill("96Gi");
  await quota.getByLabel("CPU", { exact: true }).fill("40");
  await quota.getByRole("button", { name: "Save quota" }).click();
  await expect(quota).toBeHidden();
  await expect(tenantRow).toContainText("CPU 40 · Memory 96Gi");

  await admin.goto("/admin/nodes");
  await admin.getByRole("combobox", { name: "Tenant" }).selectOption(tenantId);
  const rows = admin.getByRole("table", { name: "Nodes" }).getByRole("row").filter({ hasText: tenantId });
  await expect(rows).toHaveCount(2);
  const victim = rows.filter({ hasText: busy });
  // Nothing to recover on a healthy node.
  await expect(victim.getByRole("button", { name: "Recover" })).toBeDisabled();
  await victim.getByRole("button", { name: "Inject failure" }).click();
  const confirm = admin.getByRole("dialog");
  await expect(confirm.getByRole("heading", { name: `Inject a failure on ${busy}?` })).toBeVisible();
  const action = confirm.getByRole("button", { name: "Inject failure" });
  await expect(action).toBeDisabled();
  await confirm.getByRole("textbox", { name: `Type ${busy} to confirm` }).fill(busy);
  await action.click();
  await expect(admin.getByText(`Failure injected on ${busy}.`)).toBeVisible();
  await expect(victim.getByText("NotReady")).toBeVisible({ timeout: 30_000 });
  // The notice is about what is under way: once the node shows NotReady it has done its job.
  await expect(admin.getByText(`Failure injected on ${busy}.`)).toBeHidden();
  await expect(victim.getByRole("button", { name: "Recover" })).toBeEnabled();
  await expect(victim.getByRole("button", { name: "Inject failure" })).toBeDisabled();
  await admin.screenshot({ path: ".test-results/screenshots/admin-nodes.png", fullPage: true });
  await operatorContext.close();

  await page
    .getByRole("navigation", { name: "Tenant console" })
    .getByRole("link", { name: "Overview", exact: true })
    .click();
  const attention = page.getByRole("region", { name: "Needs attention" });
  await expect(attention.getByRole("link", { name: busy })).toBeVisible({ timeout: 30_000 });
  await expect(attention.getByText("NotReady", { exact: true })).toBeVisible();
  await page.screenshot({ path: ".test-results/screenshots/overview-attention.png", fullPage: true });

  await expect
    .poll(
      async () =>
        (await livePods(page))
          .map((p) => `${p.status.phase}@${p.nodeName}`)
          .sort()
          .join(","),
      { timeout: 90_000, intervals: [2000] },
    )
    .toBe(Array(4).fill(`Running@${other}`).join(","));
  await expect(page.getByText("Running 4")).toBeVisible({ timeout: 15_000 });
});

test("a new pool of another machine type replaces the old one; a pool's maximum stays within the node quota", async ({
  page,
}) => {
  test.setTimeout(180_000);
  await signUpThroughUi(page, freshEmail("pools"));
  await createTenantThroughUi(page, "Pool Swap");
  await page.goto("/nodes");
  const pools = page.getByRole("table", { name: "Node pools" });
  await expect(pools.getByRole("row").filter({ hasText: "default" })).toBeVisible();
  // Ages here are in engine time, which is labelled (and explained) beside the wall clock.
  const clock = page.getByTestId("engine-clock");
  await expect(clock).toContainText("Engine time");
  await expect(clock).toContainText("Wall time");
  await expect(clock.getByTitle(/modelled clock of the orchestration engine/)).toBeVisible();

  await page.getByRole("button", { name: "New pool" }).click();
  const dialog = page.getByRole("dialog", { name: "Create a node pool" });
  await dialog.getByLabel("Pool name").fill("large");
  await dialog.getByRole("combobox", { name: "Machine type" }).selectOption("8c16g");
  await dialog.getByLabel("Maximum nodes").fill("11");
  await dialog.getByRole("button", { name: "Create pool" }).click();
  // Refused at the field, before the server is asked: the tenant's node quota is 10.
  await expect(dialog.getByLabel("Maximum nodes")).toHaveAttribute("aria-invalid", "true");
  await expect(dialog.getByText("At most 10: your tenant's node quota.", { exact: false })).toBeVisible();
  await dialog.getByLabel("Maximum nodes").fill("3");
  await dialog.getByRole("button", { name: "Create pool" }).click();
  await expect(dialog).toBeHidden();
  const large = pools.getByRole("row").filter({ hasText: "large" });
  await expect(large).toContainText("8c16g");

  // The default pool's node runs a pod: deleting the pool is refused, and says what to do.
  await mutate(page, "deployments.create", {
    name: "web",
    replicas: 1,
    template: {
      spec: { nodeSelector: { "cloud/pool": "default" }, containers: [{ name: "web", image: "nginx:1.27" }] },
    },
  });
  await expect.poll(async () => (await livePods(page)).filter((p) => p.nodeName).length, { timeout: 60_000 }).toBe(1);
  const defaultPool = pools.getByRole("row").filter({ hasText: "default" });
  await defaultPool.getByRole("button", { name: "Delete" }).click();
  let confirm = page.getByRole("dialog", { name: "Delete pool default?" });
  await confirm.getByRole("textbox", { name: "Type default to confirm" }).fill("default");
  await confirm.getByRole("button", { name: "Delete" }).click();
  await expect(
    page.getByRole("region", { name: "Node pools" }).getByRole("alert").filter({ hasText: /drain/i }),
  ).toBeVisible();
  await expect(defaultPool).toBeVisible();

  // The new pool is empty: it goes at once, after confirmation.
  await large.getByRole("button", { name: "Delete" }).click();
  confirm = page.getByRole("dialog", { name: "Delete pool large?" });
  await expect(confirm.getByRole("button", { name: "Delete" })).toBeDisabled();
  await confirm.getByRole("textbox", { name: "Type large to confirm" }).fill("large");
  await confirm.getByRole("button", { name: "Delete" }).click();
  await expect(large).toHaveCount(0);
  await page.screenshot({ path: ".test-results/screenshots/node-pools.png", fullPage: true });
});
