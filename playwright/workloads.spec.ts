import { expect, test, type Page } from "@playwright/test";
import { freshEmail, password } from "./accounts";
import { createTenantThroughUi, signInThroughUi, signUpThroughUi, trpcMutate } from "./helpers";

/** Engine progress (VM boot, image pulls, rollouts) is polled with generous timeouts; engine time runs 10x in e2e. */
const ENGINE = { timeout: 90_000 };

async function podRows(page: Page) {
  return page
    .getByRole("table", { name: "Pods" })
    .getByRole("row")
    .filter({ has: page.getByRole("link") });
}

test("create a deployment with the wizard, scale it, roll out a new image and roll back", async ({ page }) => {
  test.setTimeout(300_000);
  await signUpThroughUi(page, freshEmail("deployer"));
  await createTenantThroughUi(page, "Rollout Lab");

  await page.goto("/workloads");
  await expect(page.getByText("No deployments yet")).toBeVisible();
  await page.getByRole("link", { name: "Create deployment" }).click();
  await expect(page.getByRole("heading", { level: 1, name: "Create deployment" })).toBeVisible();

  // Validation as you type, at the field.
  const name = page.getByRole("textbox", { name: "Name", exact: true });
  await name.fill("Web_1");
  await expect(page.getByText("Use only lowercase letters, digits and '-'")).toBeVisible();
  await name.fill("web");
  await expect(page.getByText("Use only lowercase letters, digits and '-'")).toHaveCount(0);
  await page.getByRole("textbox", { name: "Image", exact: true }).fill("nginx:1.27");
  await page.getByRole("textbox", { name: "Replicas", exact: true }).fill("abc");
  await expect(page.getByText("Enter a whole number from 0 to 1,000.")).toBeVisible();
  await page.getByRole("textbox", { name: "Replicas", exact: true }).fill("3");
  await page.getByRole("button", { name: "Add variable" }).click();
  await page.getByRole("textbox", { name: "Variable 1 name" }).fill("MODE");
  await page.getByRole("textbox", { name: "Variable 1 value" }).fill("demo");

  // The YAML editor shows the same object, and edits there come back to the form.
  await page.getByRole("tab", { name: "YAML / JSON" }).click();
  const yaml = page.getByRole("textbox", { name: "Deployment as YAML" });
  await expect(yaml).toHaveValue(/image: nginx:1\.27/);
  await expect(yaml).toHaveValue(/name: MODE/);
  await expect(yaml).toHaveValue(/maxSurge: 25%/);
  await yaml.fill("name: web\nreplicas: [\n");
  await expect(page.getByText(/^Line \d+:/)).toBeVisible();
  await page.getByRole("radio", { name: "JSON" }).click(); // refused while the text does not parse
  await expect(page.getByRole("radio", { name: "YAML" })).toBeChecked();
  await yaml.fill(
    [
      "name: web",
      "replicas: 3",
      "template:",
      "  labels: { tier: frontend }",
      "  spec:",
      "    containers:",
      "      - name: web",
      "        image: nginx:1.27",
      "        env: [{ name: MODE, value: demo }]",
      "        resources: { requests: { cpu: 100m, memory: 128Mi } }",
      "    restartPolicy: Always",
      "strategy: { type: RollingUpdate, maxSurge: 25%, maxUnavailable: 25% }",
    ].join("\n"),
  );
  await page.getByRole("tab", { name: "Form" }).click();
  await expect(page.getByRole("textbox", { name: "Replicas", exact: true })).toHaveValue("3");
  await expect(page.getByRole("textbox", { name: "Variable 1 value" })).toHaveValue("demo");
  await page.getByRole("tab", { name: "YAML / JSON" }).click();
  await expect(page.getByRole("textbox", { name: "Deployment as YAML" })).toHaveValue(/tier: frontend/); // a field the form does not show survives
  await page.getByRole("tab", { name: "Form" }).click();

  await page.getByRole("button", { name: "Create deployment" }).click();
  await expect(page).toHaveURL(/\/workloads\/web$/);
  await expect(page.getByRole("heading", { level: 1, name: "web" })).toBeVisible();

  // Three pods Running.
  await page.goto("/pods");
  await expect((await podRows(page)).filter({ hasText: "Running" })).toHaveCount(3, ENGINE);
  await page.getByRole("combobox", { name: "Phase" }).selectOption("Running");
  await expect(page).toHaveURL(/phase=Running/);
  await page.reload();
  await expect(page.getByRole("combobox", { name: "Phase" })).toHaveValue("Running");
  await expect((await podRows(page)).filter({ hasText: "Running" })).toHaveCount(3, ENGINE);
  await page.screenshot({ path: ".test-results/screenshots/pods.png", fullPage: true });

  // Scale to 5 with the inline button.
  await page.goto("/workloads");
  const row = page.getByRole("row").filter({ has: page.getByRole("link", { name: "web", exact: true }) });
  await expect(row).toContainText("3/3");
  await row.getByRole("button", { name: "Scale up web" }).click();
  await expect(page.getByTestId("desired-web")).toHaveText("4");
  await row.getByRole("button", { name: "Scale up web" }).click();
  await expect(page.getByTestId("desired-web")).toHaveText("5");
  await expect(row).toContainText("5/5", ENGINE);
  await page.screenshot({ path: ".test-results/screenshots/workloads.png", fullPage: true });

  // Change the image and watch the rollout finish.
  await row.getByRole("link", { name: "web", exact: true }).click();
  await expect(page.getByRole("heading", { level: 1, name: "web" })).toBeVisible();
  await page.getByRole("textbox", { name: "Image of container web" }).fill("nginx:1.28");
  await page.getByRole("button", { name: "Update image" }).click();
  const revisions = page.getByRole("table", { name: "Revisions" });
  await expect(revisions.getByRole("row").filter({ hasText: "nginx:1.28" })).toContainText("current", ENGINE);
  const updated = page.getByRole("progressbar", { name: "Updated pods" });
  await expect(updated).toHaveAttribute("aria-valuenow", "5", ENGINE);
  await expect(page.getByRole("progressbar", { name: "Available pods" })).toHaveAttribute("aria-valuenow", "5", ENGINE);
  await expect(page.getByText("All pods are up to date and available.")).toBeVisible(ENGINE);
  await expect((await podRows(page)).filter({ hasText: "Running" })).toHaveCount(5, ENGINE);
  await page.screenshot({ path: ".test-results/screenshots/deployment-detail.png", fullPage: true });

  // Roll back to revision 1, with the diff shown first.
  await page.getByRole("button", { name: "Roll back…" }).click();
  const dialog = page.getByRole("dialog", { name: "Roll back web" });
  await dialog.getByRole("combobox", { name: "Revision to roll back to" }).selectOption("1");
  const diff = dialog.getByLabel("Changes when rolling back to revision 1");
  await expect(diff).toContainText("- image: nginx:1.28");
  await expect(diff).toContainText("+ image: nginx:1.27");
  await page.screenshot({ path: ".test-results/screenshots/rollback-dialog.png" });
  await dialog.getByRole("button", { name: "Roll back to revision 1" }).click();
  // The notice lasts while the rollout is under way; on a busy machine the live stream can bring the finished
  // rollout before the command's answer, and then the new revision's change cause says it instead.
  await expect(
    page
      .getByText("Rolling back to revision 1.")
      .or(revisions.getByRole("row").filter({ hasText: "Rolled back to revision 1" }))
      .first(),
  ).toBeVisible(ENGINE);
  await expect(page.getByRole("textbox", { name: "Image of container web" })).toHaveValue("nginx:1.27", ENGINE);
  await expect(revisions.getByRole("row").filter({ hasText: "nginx:1.27" })).toContainText("current", ENGINE);
  await expect(updated).toHaveAttribute("aria-valuenow", "5", ENGINE);
  await expect(page.getByText("All pods are up to date and available.")).toBeVisible(ENGINE);
  // The notice told what was under way; with the rollout done, it is gone.
  await expect(page.getByText("Rolling back to revision 1.")).toBeHidden();

  // A pod's detail: containers, events and followable logs. Wait for the old revision's pods to be
  // gone (they terminate after the rollout completes), so the pod opened is one that stays.
  await expect(await podRows(page)).toHaveCount(5, ENGINE);
  await (await podRows(page)).first().getByRole("link").click();
  await expect(page.getByRole("heading", { level: 2, name: "Containers" })).toBeVisible();
  await expect(page.getByRole("button", { name: "Follow" })).toHaveAttribute("aria-pressed", "true");
  await expect(page.getByLabel("Log lines")).toContainText("starting nginx:1.27", ENGINE);
  await page.screenshot({ path: ".test-results/screenshots/pod-detail.png", fullPage: true });

  // A missing deployment reads as "not found" with a way back.
  await page.goto("/workloads/does-not-exist");
  await expect(page.getByText("Deployment not found")).toBeVisible();
  await expect(page.getByRole("link", { name: "Back to workloads" })).toBeVisible();
});

test("a viewer sees every page but no control that changes anything", async ({ page, browser, request, baseURL }) => {
  test.setTimeout(180_000);
  const viewer = { email: freshEmail("viewer"), name: "Vera Viewer" };
  const signUp = await request.post("/api/auth/sign-up/email", {
    headers: { origin: baseURL ?? "" },
    data: { ...viewer, password },
  });
  expect(signUp.status(), await signUp.text()).toBe(200);

  await signUpThroughUi(page, freshEmail("owner"));
  await createTenantThroughUi(page, "Viewer Shop");
  await trpcMutate(page, "deployments.create", {
    name: "api",
    replicas: 2,
    template: { spec: { containers: [{ name: "api", image: "nginx:1.27" }] } },
  });

  await page.getByRole("link", { name: "Members" }).click();
  await page.getByRole("textbox", { name: "Email" }).fill(viewer.email);
  await page.getByRole("combobox", { name: "Role", exact: true }).selectOption("viewer");
  await page.getByRole("button", { name: "Create invitation link" }).click();
  const link = (await page.getByTestId("invitation-link").textContent())?.trim() ?? "";

  // The viewer joins by accepting the invitation link, signed in.
  const context = await browser.newContext();
  const v = await context.newPage();
  await signInThroughUi(v, viewer.email);
  await v.goto(link);
  await v.getByRole("button", { name: "Accept and join" }).click();
  // The overview's heading, not the invitation's "Join Viewer Shop": leaving before the accept
  // answered would cancel it.
  await expect(v.getByRole("heading", { level: 1, name: "Viewer Shop", exact: true })).toBeVisible();

  await v.goto("/workloads");
  await expect(v.getByRole("link", { name: "api", exact: true })).toBeVisible();
  await expect(v.getByRole("row").filter({ hasText: "api" })).toContainText("2/2", ENGINE);
  await expect(v.getByRole("link", { name: "Create deployment" })).toHaveCount(0);
  await expect(v.getByRole("button", { name: "Create deployment" })).toHaveCount(0);
  await expect(v.getByRole("button", { name: /^Scale (up|down) / })).toHaveCount(0);

  await v.goto("/workloads/new");
  await expect(v.getByText("Your role in this tenant is viewer")).toBeVisible();
  await expect(v.getByRole("button", { name: "Create deployment" })).toHaveCount(0);

  await v.goto("/workloads/api");
  await expect(v.getByRole("heading", { level: 1, name: "api" })).toBeVisible();
  await expect(v.getByRole("table", { name: "Revisions" })).toBeVisible();
  await expect((await podRows(v)).filter({ hasText: "Running" })).toHaveCount(2, ENGINE);
  for (const label of ["Delete", "Restart", "Roll back…", "Pause", "Resume", "Update image"]) {
    await expect(v.getByRole("button", { name: label })).toHaveCount(0);
  }
  await expect(v.getByRole("textbox", { name: /Image of container/ })).toHaveCount(0);

  await v.goto("/pods");
  await expect((await podRows(v)).filter({ hasText: "Running" })).toHaveCount(2, ENGINE);
  await (await podRows(v)).first().getByRole("link").first().click();
  await expect(v.getByRole("heading", { level: 2, name: "Containers" })).toBeVisible();
  await expect(v.getByRole("button", { name: "Delete" })).toHaveCount(0);
  await v.screenshot({ path: ".test-results/screenshots/pod-detail-viewer.png", fullPage: true });
  await context.close();
});
