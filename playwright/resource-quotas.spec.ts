import { expect, test } from "@playwright/test";
import { freshEmail, password } from "./accounts";
import { inviteAndJoin } from "./api-session";
import { createTenantThroughUi, signInThroughUi, trpcMutate, trpcQuery } from "./helpers";

/**
 * A namespace's quota on the Namespaces page: an admin sets one (checked at the field), sees it
 * as used of hard, a deployment over it is refused with the reason at the replicas field, and
 * removing it (after a confirmation) brings back the empty state and lets the deployment run.
 * A viewer of the tenant reads the quota and gets no buttons.
 */
test("an admin sets a namespace's quota, a deployment over it is refused, and removing it lifts it", async ({
  page,
  baseURL,
  browser,
}) => {
  test.setTimeout(120_000);
  const email = freshEmail("quota-admin");
  const res = await page.request.post("/api/auth/sign-up/email", {
    headers: { origin: baseURL ?? "" },
    data: { name: "Quota Admin", email, password },
  });
  expect(res.status(), await res.text()).toBe(200);
  await signInThroughUi(page, email);
  await createTenantThroughUi(page, "Namespace Quota Lab");
  const { items } = await trpcQuery<{ items: { name: string; default: boolean }[] }>(page, "namespaces.list", {});
  const ns = items.find((n) => n.default)?.name ?? "";
  expect(ns).not.toBe("");

  await page.goto("/namespaces");
  const row = page.getByRole("row").filter({ has: page.getByText(ns, { exact: true }) });
  await expect(row.getByText("No quota: limited only by the tenant's quota")).toBeVisible();
  await row.getByRole("button", { name: "Set quota" }).click();
  const dialog = page.getByRole("dialog", { name: `Quota of namespace ${ns}` });
  await expect(dialog).toBeVisible();

  // Checked at the field, with the quantity rules the server applies.
  const cpu = dialog.getByRole("textbox", { name: "CPU", exact: true });
  await cpu.fill("lots");
  await cpu.blur();
  await expect(cpu).toHaveAccessibleDescription(
    '"lots" is not a CPU amount. Use millicores like 500m or cores like 0.5.',
  );
  await expect(cpu).toHaveAttribute("aria-invalid", "true");
  const memory = dialog.getByRole("textbox", { name: "Memory", exact: true });
  await memory.fill("512");
  await expect(memory).toHaveAccessibleDescription('"512" without a unit is 512 bytes: did you mean 512Mi?');
  await cpu.fill("1");
  await memory.fill("1Gi");
  await dialog.getByRole("textbox", { name: "Pods", exact: true }).fill("2");
  await dialog.getByRole("button", { name: "Save quota" }).click();
  await expect(dialog).toBeHidden();
  await expect(page.getByText(`The quota of namespace ${ns} is saved.`)).toBeVisible();
  await expect(row.getByText("Pods: 0 of 2")).toBeVisible();
  await expect(row.getByText("CPU: 0 of 1")).toBeVisible();
  await expect(row.getByText("Memory: 0 of 1Gi")).toBeVisible();

  // Three pods in a namespace allowed two: refused, with the figures, at the replicas field.
  await page.goto("/workloads/new");
  await page.getByRole("textbox", { name: "Name", exact: true }).fill("web");
  await page.getByRole("textbox", { name: "Image", exact: true }).fill("nginx:1.27");
  const replicas = page.getByRole("textbox", { name: "Replicas", exact: true });
  await replicas.fill("3");
  await page.getByRole("button", { name: "Create deployment" }).click();
  await expect(replicas).toHaveAccessibleDescription(/pods: 3 more requested, 0 of 2 in use/);
  await expect(page).toHaveURL(/\/workloads\/new$/);

  // A viewer reads it, and cannot change it.
  const viewerContext = await browser.newContext();
  const viewer = await viewerContext.newPage();
  await inviteAndJoin(page, viewer, baseURL ?? "", "viewer");
  await viewer.goto("/namespaces");
  const viewerRow = viewer.getByRole("row").filter({ has: viewer.getByText(ns, { exact: true }) });
  await expect(viewerRow.getByText("Pods: 0 of 2")).toBeVisible();
  // A viewer sees the row's YAML and kubectl buttons, never a quota action.
  await expect(viewerRow.getByRole("button", { name: "YAML", exact: true })).toBeVisible();
  for (const action of ["Set quota", "Edit quota", "Remove quota"])
    await expect(viewerRow.getByRole("button", { name: action })).toHaveCount(0);
  await viewerContext.close();

  // Removing asks first; cancelling keeps it.
  await page.goto("/namespaces");
  await row.getByRole("button", { name: "Remove quota" }).click();
  const confirm = page.getByRole("dialog", { name: `Remove the quota namespace-quota of namespace ${ns}?` });
  await expect(confirm).toBeVisible();
  await confirm.getByRole("button", { name: "Cancel" }).click();
  await expect(row.getByText("Pods: 0 of 2")).toBeVisible();
  await row.getByRole("button", { name: "Remove quota" }).click();
  await confirm.getByRole("button", { name: "Remove quota" }).click();
  await expect(page.getByText(`The quota of namespace ${ns} is removed`)).toBeVisible();
  await expect(row.getByText("No quota: limited only by the tenant's quota")).toBeVisible();

  // Lifted: the same deployment is admitted now.
  await trpcMutate(page, "deployments.create", {
    name: "web",
    replicas: 3,
    template: { spec: { containers: [{ name: "web", image: "nginx:1.27" }] } },
  });
});
