import { expect, test, type Page } from "@playwright/test";
import { freshEmail, password } from "./accounts";
import { createTenantThroughUi, signInThroughUi, trpcMutate, trpcQuery } from "./helpers";

/** Engine progress is polled with generous timeouts; engine time runs 10x in e2e. */
const ENGINE = { timeout: 90_000 };

/** A new account (made through the API, as the seed does) signed in through the UI, with a tenant of its own. */
async function newTenant(page: Page, baseURL: string | undefined, prefix: string, tenant: string) {
  const email = freshEmail(prefix);
  const res = await page.request.post("/api/auth/sign-up/email", {
    headers: { origin: baseURL ?? "" },
    data: { name: "Wizard User", email, password },
  });
  expect(res.status(), await res.text()).toBe(200);
  await signInThroughUi(page, email);
  await createTenantThroughUi(page, tenant);
}

async function openWizard(page: Page) {
  await page.goto("/workloads/new");
  await expect(page.getByRole("heading", { level: 1, name: "Create deployment" })).toBeVisible();
}

test("the wizard says at the field what could never run, before anything is created", async ({ page, baseURL }) => {
  test.setTimeout(120_000);
  await newTenant(page, baseURL, "wizard", "Wizard Lab"); // one 4c8g pool, 32 CPU of quota
  await openWizard(page);

  await page.getByRole("textbox", { name: "Name", exact: true }).fill("big");
  await page.getByRole("textbox", { name: "Image", exact: true }).fill("nginx:1.27");

  // 6 cores per pod: no machine of the tenant's 4c8g pool can hold it.
  const cpu = page.getByRole("textbox", { name: "CPU request", exact: true });
  await cpu.fill("6");
  await expect(cpu).toHaveAccessibleDescription(
    /No machine in this tenant's node pools has 6 CPU: the largest is 4c8g with 4 CPU/,
  );
  await cpu.fill("4");
  await expect(cpu).not.toHaveAccessibleDescription(/No machine/);
  // Beyond every machine type there is: an error, which the server gives too.
  await cpu.fill("12");
  await expect(cpu).toHaveAccessibleDescription(/more than the largest machine type \(8c16g, 8 CPU\) has/);
  await expect(cpu).toHaveAttribute("aria-invalid", "true");
  await cpu.fill("500m");

  // Memory without a unit is bytes: refused at the field, with the unit it probably meant.
  const memory = page.getByRole("textbox", { name: "Memory request", exact: true });
  await memory.fill("256");
  await expect(memory).toHaveAccessibleDescription(
    '"256" is 256 bytes, below the minimum of 4Mi. A number without a unit is bytes: did you mean 256Mi?',
  );
  await expect(memory).toHaveAttribute("aria-invalid", "true");
  await page.getByRole("button", { name: "Create deployment" }).click();
  await expect(page.getByText("1 field needs attention before the deployment can be created.")).toBeVisible();

  // The YAML tab refuses it the same way.
  await page.getByRole("tab", { name: "YAML / JSON" }).click();
  await expect(page.getByRole("textbox", { name: "Deployment as YAML" })).toHaveValue(/memory: "256"/);
  await page.getByRole("button", { name: "Create deployment" }).click();
  await expect(page.getByText(/Memory request: "256" is 256 bytes, below the minimum of 4Mi/)).toBeVisible();
  await page.getByRole("tab", { name: "Form" }).click();

  // A Deployment allows only the restart policy Always: nothing else is offered.
  const policy = page.getByRole("combobox", { name: "Restart policy" });
  await expect(policy.getByRole("option")).toHaveText(["Always"]);

  const created = await trpcQuery<{ items: unknown[] }>(page, "deployments.list", { limit: 50 });
  expect(created.items).toHaveLength(0);

  // Fixed, it is created.
  await memory.fill("256Mi");
  await expect(memory).not.toHaveAttribute("aria-invalid", "true");
  await page.getByRole("button", { name: "Create deployment" }).click();
  await expect(page).toHaveURL(/\/workloads\/big$/);
});

test("revisions after restarts tell their change cause in the rollback dialog", async ({ page, baseURL }) => {
  test.setTimeout(180_000);
  await newTenant(page, baseURL, "causes", "Cause Lab");
  const template = {
    spec: {
      containers: [{ name: "web", image: "nginx:1.27", resources: { requests: { cpu: "100m", memory: "64Mi" } } }],
    },
  };
  await trpcMutate(page, "deployments.create", { name: "web", replicas: 1, template });
  const revisions = async () =>
    (await trpcQuery<{ revisions: unknown[] }>(page, "deployments.get", { name: "web" })).revisions.length;
  await expect.poll(revisions, ENGINE).toBe(1);
  await trpcMutate(page, "deployments.update", {
    name: "web",
    template: { spec: { containers: [{ ...template.spec.containers[0], image: "nginx:1.28" }] } },
  });
  await expect.poll(revisions, ENGINE).toBe(2);
  await trpcMutate(page, "deployments.restart", { name: "web" });
  await expect.poll(revisions, ENGINE).toBe(3);
  await trpcMutate(page, "deployments.restart", { name: "web" });
  await expect.poll(revisions, ENGINE).toBe(4);

  await page.goto("/workloads/web");
  await page.getByRole("button", { name: "Roll back…" }).click();
  const dialog = page.getByRole("dialog", { name: "Roll back web" });
  const picker = dialog.getByRole("combobox", { name: "Revision to roll back to" });
  // Revisions 3 and 4 have the same image; their causes (and times) tell them apart.
  await expect(picker.getByRole("option")).toHaveText([
    /^Revision 3 · Restarted · nginx:1\.28 · /,
    /^Revision 2 · Image set to nginx:1\.28 · nginx:1\.28 · /,
    /^Revision 1 · Created with nginx:1\.27 · nginx:1\.27 · /,
  ]);
  await picker.selectOption("1");
  await expect(dialog.getByTestId("rollback-target-cause")).toHaveText(
    "Revision 1 was made by: Created with nginx:1.27",
  );
  await dialog.getByRole("button", { name: "Roll back to revision 1" }).click();
  await expect
    .poll(
      async () =>
        (
          await trpcQuery<{ revisions: { revision: number; changeCause?: { reason: string; toRevision?: number } }[] }>(
            page,
            "deployments.get",
            { name: "web" },
          )
        ).revisions.at(-1)?.changeCause,
      ENGINE,
    )
    .toEqual({
      reason: "RolledBack",
      toRevision: 1,
    });
});
