import { expect, test } from "@playwright/test";
import { freshEmail, operator } from "./accounts";
import { createTenantThroughUi, signInThroughUi, signUpThroughUi, trpcMutate, trpcQuery } from "./helpers";

/**
 * Security groups end to end: a tenant creates a group in the rule editor, a bad CIDR is
 * refused at its field (with the engine's own words) before anything is sent, fixed, saved, and
 * the group is listed with its rule counts; an operator bans a port cluster-wide on the admin
 * Network page, and the tenant sees the ban beside its rules; the operator removes it after a
 * confirmation. Then modelled traffic through a group: each rule's admitted packets and bytes on
 * the group's page, and on the receiving pod's page which rule of which group let it in.
 */
test("a tenant writes a security group at the field; an operator bans a port", async ({ page, browser }) => {
  test.setTimeout(150_000);
  await signUpThroughUi(page, freshEmail("sg"));
  await createTenantThroughUi(page, "Firewall Works");
  await page
    .getByRole("navigation", { name: "Tenant console" })
    .getByRole("link", { name: "Security groups", exact: true })
    .click();
  await expect(page.getByRole("heading", { level: 1, name: "Security groups" })).toBeVisible();
  await expect(page.getByRole("note")).toContainText("The data plane is modelled");
  await expect(page.getByText("No security groups yet")).toBeVisible();
  await expect(page.getByText("At most 60 rules per group and direction.")).toBeVisible();

  await page.getByRole("link", { name: "Create security group" }).first().click();
  const form = page.getByRole("form", { name: "New security group" });
  await form.getByLabel("Name", { exact: true }).fill("web");
  await form.getByRole("button", { name: "Add inbound rule" }).click();
  const rule = form.getByRole("group", { name: "Inbound rule 1" });
  await rule.getByLabel("From port").fill("443");
  const cidr = rule.getByLabel("Remote CIDR");
  await cidr.fill("10.0.0.1/16");
  await cidr.press("Tab");
  // The engine's validator, run in the browser: the same words the server would refuse with.
  await expect(cidr).toHaveAttribute("aria-invalid", "true");
  await expect(cidr).toHaveAccessibleDescription(/did you mean 10\.0\.0\.0\/16/);
  await cidr.fill("10.0.0.0/16");
  await expect(cidr).not.toHaveAttribute("aria-invalid", "true");
  await rule.getByLabel("Description").fill("https from the VPC");
  await form.getByRole("button", { name: "Create security group" }).click();

  await expect(page.getByRole("heading", { level: 1, name: "Security group web" })).toBeVisible();
  await expect(
    page
      .getByRole("form", { name: "Security group web" })
      .getByRole("group", { name: "Inbound rule 1" })
      .getByLabel("Remote CIDR"),
  ).toHaveValue("10.0.0.0/16");
  // Nothing flows through a group attached to no pod: each rule reads "—", and the card says why.
  const admitted = page.getByRole("table", { name: "Admitted traffic" });
  await expect(admitted.getByRole("row").filter({ hasText: "Inbound rule 1" })).toContainText("—");
  await expect(page.getByTestId("no-rule-hits")).toBeVisible();
  await page.getByRole("link", { name: "All security groups" }).click();
  const row = page.getByRole("table", { name: "Security groups" }).getByRole("row").filter({ hasText: "web" });
  await expect(row.getByRole("cell").nth(1)).toHaveText("1");
  // The default outbound rule, written out at creation.
  await expect(row.getByRole("cell").nth(2)).toHaveText("1");
  await expect(row).toContainText("Not attached");

  // An operator bans outbound SMTP across the public network, for every tenant.
  const operatorContext = await browser.newContext();
  const admin = await operatorContext.newPage();
  await signInThroughUi(admin, operator.email);
  await admin.goto("/admin/network");
  await expect(admin.getByRole("heading", { level: 1, name: "Network" })).toBeVisible();
  await expect(admin.getByRole("heading", { level: 2, name: "Public address pool" })).toBeVisible();
  const ban = admin.getByRole("form", { name: "Ban a port" });
  await ban.getByLabel("From port").fill("0");
  await ban.getByRole("button", { name: "Ban" }).click();
  await expect(ban.getByLabel("From port")).toHaveAccessibleDescription(/must be between 1 and 65535/);
  await ban.getByLabel("Name").fill("smtp-out");
  await ban.getByLabel("From port").fill("25");
  await ban.getByLabel("Scope").selectOption({ label: "Across the public network only" });
  await ban.getByLabel("Reason").fill("Outbound mail is banned against spam.");
  await ban.getByRole("button", { name: "Ban" }).click();
  await expect(admin.getByText("Port ban smtp-out added.")).toBeVisible();
  const banRow = admin.getByRole("table", { name: "Banned ports" }).getByRole("row").filter({ hasText: "smtp-out" });
  await expect(banRow).toContainText("Across the public network only");

  // The tenant sees it beside its rules.
  await row.getByRole("link", { name: "web" }).click();
  const bans = page
    .getByRole("region", { name: "Ports banned by the operators" })
    .or(page.locator("section", { hasText: "Ports banned by the operators" }));
  await expect(bans.first()).toContainText("tcp 25");
  await page.screenshot({ path: ".test-results/screenshots/security-group-detail.png", fullPage: true });
  await admin.screenshot({ path: ".test-results/screenshots/admin-network.png", fullPage: true });

  // Removing asks first.
  await banRow.getByRole("button", { name: "Remove" }).click();
  await admin
    .getByRole("dialog", { name: "Remove port ban smtp-out?" })
    .getByRole("button", { name: "Remove" })
    .click();
  await expect(admin.getByText("Port ban smtp-out removed.")).toBeVisible();
  await expect(admin.getByText("No ports are banned")).toBeVisible();
  await operatorContext.close();
});

/** A receiver in group talk behind service talk, and a sender (in no group) calling it on 8080. */
const talkers = `apiVersion: apps/v1
kind: Deployment
metadata:
  name: talk
spec:
  replicas: 1
  selector:
    matchLabels: { app: talk }
  template:
    metadata:
      labels: { app: talk }
    spec:
      containers:
        - name: talk
          image: nginx:1.27
          ports: [{ containerPort: 8080 }]
---
apiVersion: v1
kind: Service
metadata:
  name: talk
spec:
  selector: { app: talk }
  ports: [{ port: 8080 }]
---
apiVersion: apps/v1
kind: Deployment
metadata:
  name: caller
spec:
  replicas: 1
  selector:
    matchLabels: { app: caller }
  template:
    metadata:
      labels: { app: caller }
    spec:
      containers:
        - name: caller
          image: busybox:1.36
          env:
            - name: SIM_TRAFFIC
              value: "to=svc/talk;port=8080;rate=2M"
`;

test("a group's page shows what each rule admitted; the pod's page which rule let its traffic in", async ({ page }) => {
  test.setTimeout(180_000);
  await signUpThroughUi(page, freshEmail("sghits"));
  await createTenantThroughUi(page, "Rule Hits");
  await trpcMutate(page, "security.create", {
    name: "talk",
    podSelector: { matchLabels: { app: "talk" } },
    ingressRules: [
      {
        protocol: "tcp",
        portRangeMin: 8080,
        portRangeMax: 8080,
        remoteAddress: "0.0.0.0/0",
        action: "allow",
        priority: 100,
      },
    ],
  });
  await trpcMutate(page, "manifests.applyYaml", { yaml: talkers });
  type Hit = { direction: string; rule: number | string; packets: number };
  await expect
    .poll(
      async () =>
        (await trpcQuery<{ items: Hit[] }>(page, "security.ruleHits", { name: "talk" })).items.find(
          (h) => h.direction === "ingress" && h.rule === 0,
        )?.packets ?? 0,
      { timeout: 120_000 },
    )
    .toBeGreaterThan(0);

  await page.goto("/security-groups/talk");
  await expect(page.getByRole("heading", { level: 1, name: "Security group talk" })).toBeVisible();
  await expect(page.getByTestId("admitted-ingress-0")).toHaveText(/^\S+ packets? · [\d.]+ (B|kB|MB|GB)$/);
  await expect(page.getByTestId("no-rule-hits")).toHaveCount(0);
  await page.screenshot({ path: ".test-results/screenshots/security-group-rule-hits.png", fullPage: true });

  const { items } = await trpcQuery<{ items: { name: string }[] }>(page, "pods.list", {});
  const receiver = items.find((p) => p.name.startsWith("talk-"))?.name ?? "";
  await page.goto(`/pods/${encodeURIComponent(receiver)}`);
  const rule = page.getByRole("link", { name: "inbound rule 1 of talk" });
  await expect(rule).toBeVisible({ timeout: 30_000 });
  await expect(rule).toHaveAttribute("href", "/security-groups/talk");
  await page.screenshot({ path: ".test-results/screenshots/pod-network-rule-hits.png", fullPage: true });
});
