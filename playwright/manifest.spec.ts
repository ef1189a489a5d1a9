import { expect, test } from "@playwright/test";
import { freshEmail } from "./accounts";
import { createTenantThroughUi, signUpThroughUi, trpcQuery } from "./helpers";

/**
 * The YAML tab: a deployment and its service created from pasted manifests (a kind not served
 * yet is named and skipped), edited as its Kubernetes manifest in the editor, and a refused edit marked at its line.
 */
test("create from YAML, edit the manifest, and see a refusal at its line", async ({ page }) => {
  test.setTimeout(120_000);
  await signUpThroughUi(page, freshEmail("yaml"));
  await createTenantThroughUi(page, "Yaml Works");
  await page.goto("/workloads");

  await page.getByRole("button", { name: "Create from YAML" }).click();
  const dialog = page.getByRole("dialog", { name: "Create from YAML" });
  await expect(dialog.getByTestId("yaml-editor")).toContainText("kind: Deployment");
  // The example manifest, plus a Service for it and a claim for a volume, a kind the console does not serve yet.
  await dialog.locator(".cm-content").click();
  await page.keyboard.press("Control+End");
  await page.keyboard.insertText(
    "---\napiVersion: v1\nkind: Service\nmetadata:\n  name: web\nspec:\n  selector:\n    app: web\n  ports:\n  - port: 80\n" +
      "---\napiVersion: v1\nkind: PersistentVolumeClaim\nmetadata:\n  name: data\n",
  );
  await dialog.getByRole("button", { name: "Create", exact: true }).click();
  await expect(dialog.getByTestId("apply-results")).toContainText("Deployment web created");
  await expect(dialog.getByTestId("apply-results")).toContainText("Service web created");
  await expect(dialog.getByTestId("apply-results")).toContainText(
    "PersistentVolumeClaim data: not served by this console yet, skipped",
  );
  await dialog.getByRole("button", { name: "Close" }).click();

  await page.getByRole("link", { name: "web", exact: true }).click();
  await expect(page.getByTestId("kubectl-command")).toHaveText(/^kubectl describe deployment web -n yaml-works/);
  // Edit once the rollout is over: the editor replaces the object it loaded (its resourceVersion), so
  // a status write in between (pods becoming ready) is a conflict, as for `kubectl replace`.
  await expect
    .poll(
      async () =>
        (await trpcQuery<{ status: { availableReplicas: number } }>(page, "deployments.get", { name: "web" })).status
          .availableReplicas,
      { timeout: 60_000 },
    )
    .toBe(2);
  await page.getByRole("button", { name: "Edit YAML" }).click();
  const edit = page.getByRole("dialog", { name: "Deployment web: YAML" });
  const replicas = edit.locator(".cm-line", { hasText: /^\s*replicas: 2$/ }).first();
  await expect(replicas).toBeVisible();
  await replicas.click();
  await page.keyboard.press("End");
  await page.keyboard.press("Backspace");
  await page.keyboard.insertText("3");
  await edit.getByRole("button", { name: "Save" }).click();
  await expect(edit.getByTestId("apply-results")).toContainText("Deployment web configured");
  await edit.getByRole("button", { name: "Close" }).click();
  expect(
    (await trpcQuery<{ spec: { replicas: number } }>(page, "deployments.get", { name: "web" })).spec.replicas,
  ).toBe(3);

  // Opened again: the saved version. A refused value is marked where it is.
  await page.getByRole("button", { name: "Edit YAML" }).click();
  await expect(edit.locator(".cm-line", { hasText: /^\s*replicas: 3$/ }).first()).toBeVisible();
  const image = edit.locator(".cm-line", { hasText: /^\s*image: nginx:1\.27$/ }).first();
  await image.click();
  await page.keyboard.press("End");
  await page.keyboard.insertText(" Bad");
  await edit.getByRole("button", { name: "Save" }).click();
  await expect(edit.getByRole("alert")).toContainText("fix the marked lines");
  await expect(edit.locator(".cm-lintRange-error").first()).toBeVisible();
  await edit.getByRole("button", { name: "Close" }).click();
  expect(
    (
      await trpcQuery<{ spec: { template: { spec: { containers: { image: string }[] } } } }>(page, "deployments.get", {
        name: "web",
      })
    ).spec.template.spec.containers[0]?.image,
  ).toBe("nginx:1.27");
});
