import { expect, test } from "@playwright/test";
import { freshEmail } from "./accounts";
import { inviteAndJoin } from "./api-session";
import { createTenantThroughUi, signUpThroughUi, trpcQuery } from "./helpers";

/**
 * The Config page: a ConfigMap and a Secret created from pasted YAML, listed (a Secret by name,
 * type and key count, never its value), the ConfigMap edited as its manifest, the Secret's data
 * shown base64 to its owner, the ConfigMap deleted after a confirmation; namespaces and nodes
 * offer their manifest read-only and their kubectl command; a viewer sees the Secret listed but
 * neither its YAML nor its value, and the API refuses them its manifest.
 */
const password = "tangerine-osprey-1984";
const passwordB64 = Buffer.from(password).toString("base64");
const manifests = `apiVersion: v1
kind: ConfigMap
metadata:
  name: app-settings
data:
  color: blue
  size: large
---
apiVersion: v1
kind: Secret
metadata:
  name: db-login
type: Opaque
stringData:
  db-password: ${password}
`;

test("create config from YAML, edit it, delete it; a viewer never sees secret values", async ({
  page,
  browser,
  baseURL,
}) => {
  test.setTimeout(150_000);
  await signUpThroughUi(page, freshEmail("config"));
  await createTenantThroughUi(page, "Config Works");
  await page.getByRole("link", { name: "Config", exact: true }).click();
  await expect(page.getByRole("heading", { level: 1, name: "Config" })).toBeVisible();
  await expect(page.getByText("No ConfigMaps yet")).toBeVisible();
  await expect(page.getByText("No Secrets yet")).toBeVisible();

  await page.getByRole("button", { name: "Create from YAML" }).click();
  const create = page.getByRole("dialog", { name: "Create from YAML" });
  await create.locator(".cm-content").click();
  await page.keyboard.press("Control+A");
  await page.keyboard.insertText(manifests);
  await create.getByRole("button", { name: "Create", exact: true }).click();
  await expect(create.getByTestId("apply-results")).toContainText("ConfigMap app-settings created");
  await expect(create.getByTestId("apply-results")).toContainText("Secret db-login created");
  await create.getByRole("button", { name: "Close" }).click();

  const configMaps = page.getByRole("table", { name: "ConfigMaps" });
  const mapRow = configMaps.getByRole("row").filter({ hasText: "app-settings" });
  await expect(mapRow.getByRole("cell").nth(1)).toHaveText("2");
  const secretRow = page.getByRole("table", { name: "Secrets" }).getByRole("row").filter({ hasText: "db-login" });
  await expect(secretRow).toContainText("Opaque");
  await expect(page.locator("main")).not.toContainText(password);
  await expect(page.locator("main")).not.toContainText(passwordB64);
  await expect(
    mapRow.getByRole("button", { name: /^Copy the command kubectl describe configmap app-settings -n/ }),
  ).toBeVisible();

  // Edited as its manifest.
  await mapRow.getByRole("button", { name: "Edit YAML" }).click();
  const edit = page.getByRole("dialog", { name: "ConfigMap app-settings: YAML" });
  const color = edit.locator(".cm-line", { hasText: /^\s*color: blue$/ }).first();
  await expect(color).toBeVisible();
  await color.click();
  await page.keyboard.press("End");
  for (let i = 0; i < "blue".length; i++) await page.keyboard.press("Backspace");
  await page.keyboard.insertText("green");
  await edit.getByRole("button", { name: "Save" }).click();
  await expect(edit.getByTestId("apply-results")).toContainText("ConfigMap app-settings configured");
  await edit.getByRole("button", { name: "Close" }).click();
  const tenant = await trpcQuery<{ slug: string }>(page, "tenants.current");
  const saved = await trpcQuery<{ yaml: string }>(page, "manifests.get", {
    kind: "ConfigMap",
    name: "app-settings",
    namespace: tenant.slug,
  });
  expect(saved.yaml).toContain("color: green");

  // The owner reads the Secret's data as Kubernetes serves it: base64.
  await secretRow.getByRole("button", { name: "Edit YAML" }).click();
  const secretYaml = page.getByRole("dialog", { name: "Secret db-login: YAML" });
  await expect(secretYaml.locator(".cm-line", { hasText: `db-password: ${passwordB64}` })).toBeVisible();
  await secretYaml.getByRole("button", { name: "Close" }).click();

  // Deleting asks first; cancelling keeps it.
  await mapRow.getByRole("button", { name: "Delete" }).click();
  const confirm = page.getByRole("dialog", { name: "Delete ConfigMap app-settings?" });
  await confirm.getByRole("button", { name: "Cancel" }).click();
  await expect(mapRow).toBeVisible();
  await mapRow.getByRole("button", { name: "Delete" }).click();
  await confirm.getByRole("button", { name: "Delete" }).click();
  await expect(page.getByText("ConfigMap app-settings deleted.")).toBeVisible();
  await expect(page.getByText("No ConfigMaps yet")).toBeVisible();

  // Namespaces and nodes: their manifests read-only, and the kubectl command to copy.
  await page.goto("/namespaces");
  const nsRow = page.getByRole("row").filter({ has: page.getByText(tenant.slug, { exact: true }) });
  await expect(
    nsRow.getByRole("button", { name: `Copy the command kubectl describe namespace ${tenant.slug}` }),
  ).toBeVisible();
  await nsRow.getByRole("button", { name: "YAML", exact: true }).click();
  const nsYaml = page.getByRole("dialog", { name: `Namespace ${tenant.slug}: YAML` });
  await expect(nsYaml.getByTestId("yaml-editor")).toContainText("kind: Namespace");
  await expect(nsYaml.getByRole("button", { name: "Save" })).toHaveCount(0);
  await nsYaml.getByRole("button", { name: "Close" }).click();
  await page.goto("/nodes");
  const nodeRow = page.getByRole("table", { name: "Nodes" }).getByRole("row").nth(1);
  await expect(nodeRow.getByRole("button", { name: /^Copy the command kubectl describe node / })).toBeVisible();
  await nodeRow.getByRole("button", { name: "YAML", exact: true }).click();
  const nodeYaml = page.getByRole("dialog", { name: /^Node .+: YAML$/ });
  await expect(nodeYaml.getByTestId("yaml-editor")).toContainText("kind: Node");
  await expect(nodeYaml.getByRole("button", { name: "Save" })).toHaveCount(0);
  await nodeYaml.getByRole("button", { name: "Close" }).click();

  // A viewer: the Secret listed by name and type, no YAML, no value; the API refuses its manifest.
  const viewerContext = await browser.newContext();
  const viewer = await viewerContext.newPage();
  await inviteAndJoin(page, viewer, baseURL ?? "", "viewer");
  await viewer.goto("/config");
  const viewerSecret = viewer.getByRole("table", { name: "Secrets" }).getByRole("row").filter({ hasText: "db-login" });
  await expect(viewerSecret).toContainText("Opaque");
  await expect(viewer.getByText("Your role does not read secret values")).toBeVisible();
  await expect(viewerSecret.getByRole("button")).toHaveCount(0);
  await expect(viewer.locator("main")).not.toContainText(passwordB64);
  const input = encodeURIComponent(
    JSON.stringify({ json: { kind: "Secret", name: "db-login", namespace: tenant.slug } }),
  );
  const refused = await viewer.request.get(`/api/trpc/manifests.get?input=${input}`, {
    headers: { "x-tc-client": "e2e" },
  });
  expect(refused.status()).toBe(403);
  await viewerContext.close();
});
