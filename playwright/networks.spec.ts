import { expect, test } from "@playwright/test";
import { freshEmail } from "./accounts";
import { createTenantThroughUi, signUpThroughUi, trpcMutate, trpcQuery } from "./helpers";

/**
 * Services and Networks: a deployment and a Service created from pasted YAML; the service listed
 * with its ClusterIP from the tenant's service range; its detail with the DNS name, both pods as
 * ready endpoints, the forwarding row and the kubectl command; the Networks page with the VPC,
 * the subnet holding the tenant's namespace and the statement of what is modelled; and the
 * connectivity check: pod to service delivered, pod to an address no pod holds dropped with
 * "No route" and the engine's sentence; then subnets: a block overlapping the default subnet
 * refused at its field, a subnet created for the tenant's namespace (a pod started there gets an
 * address in it, the running ones keep theirs), and a spare subnet deleted after typing its name.
 */
const ENGINE = { timeout: 90_000 };
const manifests = `apiVersion: apps/v1
kind: Deployment
metadata:
  name: web
spec:
  replicas: 2
  selector:
    matchLabels:
      app: web
  template:
    metadata:
      labels:
        app: web
    spec:
      containers:
        - name: web
          image: nginx:1.27
          ports:
            - containerPort: 80
---
apiVersion: v1
kind: Service
metadata:
  name: web
spec:
  selector:
    app: web
  ports:
    - port: 80
`;

type ServiceDetail = { clusterIP?: string; endpoints: { ready: boolean }[] };

test("a service from YAML shows its ClusterIP and endpoints; the connectivity check answers", async ({ page }) => {
  test.setTimeout(180_000);
  await signUpThroughUi(page, freshEmail("networks"));
  await createTenantThroughUi(page, "Net Works");
  const { slug } = await trpcQuery<{ slug: string }>(page, "tenants.current");

  await page.getByRole("link", { name: "Services", exact: true }).click();
  await expect(page.getByRole("heading", { level: 1, name: "Services" })).toBeVisible();
  await expect(page.getByText("No services yet")).toBeVisible();

  await page.getByRole("button", { name: "Create from YAML" }).click();
  const create = page.getByRole("dialog", { name: "Create from YAML" });
  await create.locator(".cm-content").click();
  await page.keyboard.press("Control+A");
  await page.keyboard.insertText(manifests);
  await create.getByRole("button", { name: "Create", exact: true }).click();
  await expect(create.getByTestId("apply-results")).toContainText("Deployment web created");
  await expect(create.getByTestId("apply-results")).toContainText("Service web created");
  await create.getByRole("button", { name: "Close" }).click();

  const row = page.getByRole("table", { name: "Services" }).getByRole("row").filter({ hasText: "web" });
  await expect(row).toContainText("ClusterIP");
  await expect(row.getByRole("cell").nth(2)).toHaveText(/^10\.96\.\d+\.\d+$/);
  await expect(row).toContainText("80/TCP");
  const clusterIP = (await row.getByRole("cell").nth(2).textContent()) ?? "";

  // Both pods become ready endpoints once they run (engine time).
  await expect
    .poll(
      async () =>
        (await trpcQuery<ServiceDetail>(page, "services.get", { name: "web" })).endpoints.filter((e) => e.ready).length,
      ENGINE,
    )
    .toBe(2);
  await row.getByRole("link", { name: "web" }).click();
  await expect(page.getByRole("heading", { level: 1, name: "web" })).toBeVisible();
  await expect(page.getByTestId("service-clusterIP")).toHaveText(clusterIP);
  await expect(page.getByTestId("service-dnsName")).toHaveText(`web.${slug}.svc.cluster.local`);
  await expect(page.getByRole("heading", { name: "Endpoints (2 of 2 ready)" })).toBeVisible();
  await expect(
    page.getByRole("table", { name: "Endpoints" }).getByRole("row").filter({ hasText: "Ready" }),
  ).toHaveCount(2);
  const forwarding = page
    .getByRole("table", { name: "Forwarding table" })
    .getByRole("row")
    .filter({ hasText: clusterIP });
  await expect(forwarding).toContainText("80/TCP");
  await expect(forwarding).toContainText(/10\.0\.\d+\.\d+:80, 10\.0\.\d+\.\d+:80/);
  await expect(page.getByTestId("kubectl-command").first()).toHaveText(`kubectl describe service web -n ${slug}`);

  await page.getByRole("link", { name: "Networks", exact: true }).click();
  await expect(page.getByRole("heading", { level: 1, name: "Networks" })).toBeVisible();
  await expect(page.getByText("The data plane is modelled")).toBeVisible();
  await expect(page.getByTestId("network-vpc")).toContainText("10.0.0.0/16");
  await expect(page.getByTestId("network-serviceCidr")).toHaveText("10.96.0.0/16");
  const subnet = page.getByRole("table", { name: "Subnets" }).getByRole("row").filter({ hasText: slug });
  await expect(subnet).toContainText(/2 used, \d+ held before reuse, \d+ free of \d+/);

  const check = page.locator("section").filter({ has: page.getByRole("heading", { name: "Connectivity check" }) });
  await check.getByLabel("From pod").selectOption({ index: 1 });
  await check.getByLabel("To", { exact: true }).selectOption("service");
  await check.getByLabel("Destination service").selectOption(`${slug}/web`);
  await check.getByLabel("Port").fill("80");
  await check.getByRole("button", { name: "Check", exact: true }).click();
  const result = check.getByTestId("check-result");
  await expect(result).toContainText("Delivered");
  await expect(
    result.getByRole("table", { name: "Trace" }).getByRole("row").filter({ hasText: "Route" }),
  ).toContainText("Passed");

  await check.getByLabel("To", { exact: true }).selectOption("address");
  await check.getByLabel("Destination address").fill("10.0.0.250");
  await check.getByRole("button", { name: "Check", exact: true }).click();
  await expect(result).toContainText("Dropped");
  await expect(result).toContainText("No route");
  await expect(result).toContainText("10.0.0.250");

  // Subnets: the form refuses an overlapping block at its field.
  const subnets = page.getByRole("table", { name: "Subnets" });
  await page.getByRole("button", { name: "Add subnet" }).click();
  const form = page.locator("form").filter({ has: page.getByRole("button", { name: "Create subnet" }) });
  await form.getByLabel("Name", { exact: true }).fill("apps");
  await form.getByLabel("CIDR block", { exact: true }).fill("10.0.0.0/24");
  await form.getByLabel("Namespaces", { exact: true }).fill(slug);
  await form.getByRole("button", { name: "Create subnet" }).click();
  await expect(form.getByLabel("CIDR block", { exact: true })).toHaveAttribute("aria-invalid", "true");
  await expect(form).toContainText('overlaps subnet "default"');
  await form.getByLabel("CIDR block", { exact: true }).fill("10.0.64.0/24");
  await form.getByRole("button", { name: "Create subnet" }).click();
  const apps = subnets.getByTestId("subnet-apps");
  await expect(apps).toContainText("10.0.64.0/24");
  await expect(apps).toContainText(slug);
  await expect(apps).toContainText(/0 used, \d+ held before reuse, 253 free of 253/);

  // A new pod of the namespace takes its address from the subnet; the running two keep theirs.
  type PodRow = { name: string; podIP?: string };
  const before = (await trpcQuery<{ items: PodRow[] }>(page, "pods.list", {})).items;
  await trpcMutate(page, "deployments.scale", { name: "web", replicas: 3 });
  await expect
    .poll(
      async () =>
        (await trpcQuery<{ items: PodRow[] }>(page, "pods.list", {})).items.filter((p) =>
          p.podIP?.startsWith("10.0.64."),
        ).length,
      ENGINE,
    )
    .toBe(1);
  const after = (await trpcQuery<{ items: PodRow[] }>(page, "pods.list", {})).items;
  for (const p of before) expect(after.find((q) => q.name === p.name)?.podIP).toBe(p.podIP);
  await page.reload();
  await expect(subnets.getByTestId("subnet-apps")).toContainText(/1 used/);

  // A spare subnet is deleted once its name is typed.
  await page.getByRole("button", { name: "Add subnet" }).click();
  await form.getByLabel("Name", { exact: true }).fill("spare");
  await form.getByLabel("CIDR block", { exact: true }).fill("10.0.65.0/24");
  await form.getByRole("button", { name: "Create subnet" }).click();
  await expect(subnets.getByTestId("subnet-spare")).toBeVisible();
  await page.getByRole("button", { name: "Delete subnet spare" }).click();
  const confirm = page.getByRole("dialog", { name: "Delete subnet spare?" });
  await confirm.getByRole("textbox").fill("spare");
  await confirm.getByRole("button", { name: "Delete", exact: true }).click();
  await expect(subnets.getByTestId("subnet-spare")).toHaveCount(0);
});
