import { type Browser, expect, type Page, test } from "@playwright/test";
import { freshEmail, operator } from "./accounts";
import { createTenantThroughUi, signInThroughUi, signUpThroughUi, trpcMutate, trpcQuery } from "./helpers";

/**
 * Services and Networks: a deployment and a Service created from pasted YAML; the service listed
 * with its ClusterIP from the tenant's service range; its detail with the DNS name, both pods as
 * ready endpoints, the forwarding row and the kubectl command; the Networks page with the VPC,
 * the subnet holding the tenant's namespace and the statement of what is modelled; and the
 * connectivity check: pod to service delivered, pod to an address no pod holds dropped with
 * "No route" and the engine's sentence; then subnets: a block overlapping the default subnet
 * refused at its field, a subnet created for the tenant's namespace (a pod started there gets an
 * address in it, the running ones keep theirs), and a spare subnet deleted after typing its name.
 * Then the check from the internet: a tenant's public IP bound to a pod, offered with that pod,
 * reached on the port its security group allows and dropped on another, with the reason in words.
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

/** A range of its own, emptied and removed at the end: allocation is next-fit over every range in address order. */
const POOL = { name: "networks-e2e", cidrs: ["198.51.100.128/28"] };

async function operatorPage(browser: Browser): Promise<Page> {
  const page = await (await browser.newContext()).newPage();
  await signInThroughUi(page, operator.email);
  return page;
}

test("from the internet, a public IP bound to a pod is reached on an allowed port and dropped on another", async ({
  page,
  browser,
  baseURL,
}) => {
  test.setTimeout(180_000);
  const admin = await operatorPage(browser);
  await trpcMutate(admin, "publicIpsAdmin.createPool", POOL);

  await signUpThroughUi(page, freshEmail("netinet"));
  await createTenantThroughUi(page, "Edge Works");
  await trpcMutate(page, "manifests.applyYaml", { yaml: manifests.replace("replicas: 2", "replicas: 1") });
  let pod = "";
  await expect
    .poll(async () => {
      type PodRow = { name: string; status: { phase: string } };
      const { items } = await trpcQuery<{ items: PodRow[] }>(page, "pods.list", {});
      pod = items.find((p) => p.status.phase === "Running")?.name ?? "";
      return pod;
    }, ENGINE)
    .not.toBe("");
  await trpcMutate(page, "publicIps.allocate", { name: "edge-ip" });
  await trpcMutate(page, "publicIps.bind", { name: "edge-ip", target: { kind: "Pod", name: pod } });
  const { address } = await trpcQuery<{ address: string }>(page, "publicIps.get", { name: "edge-ip" });
  // The pod's security group lets the internet in on 80 only.
  await trpcMutate(page, "security.create", {
    name: "web",
    podSelector: { matchLabels: { app: "web" } },
    ingressRules: [
      { protocol: "tcp", portRangeMin: 80, portRangeMax: 80, remoteAddress: "0.0.0.0/0", action: "allow", priority: 1 },
    ],
  });

  await page.getByRole("link", { name: "Networks", exact: true }).click();
  await expect(page.getByRole("heading", { level: 1, name: "Networks" })).toBeVisible();
  const check = page.locator("section").filter({ has: page.getByRole("heading", { name: "Connectivity check" }) });
  await check.getByLabel("Source").selectOption("internet");
  await expect(check.getByLabel("From pod")).toHaveCount(0);
  await expect(check.getByLabel("Internet address")).toHaveAttribute("placeholder", "192.0.2.1");
  // From the internet only an address is a destination: no pod or service is offered.
  const kind = check.getByLabel("To", { exact: true });
  await expect(kind.locator("option")).toHaveText(["One of your public IPs", "An address"]);
  const target = check.getByLabel("Destination public IP");
  await expect(target.locator("option", { hasText: address })).toHaveText(`${address} · edge-ip → pod ${pod}`);

  // Nothing chosen: refused at the field before anything is asked.
  await check.getByRole("button", { name: "Check", exact: true }).click();
  await expect(target).toHaveAccessibleDescription("Choose one of your public IPs, or check an address instead.");

  await target.selectOption(address);
  await check.getByLabel("Port").fill("80");
  await check.getByRole("button", { name: "Check", exact: true }).click();
  const result = check.getByTestId("check-result");
  await expect(result).toContainText("Delivered");
  await expect(result).toContainText("from the internet (192.0.2.1) →");
  await expect(result).toContainText(`/${pod} (${address})`);
  await expect(result).toContainText("across the public network");

  await check.getByLabel("Port").fill("22");
  await check.getByRole("button", { name: "Check", exact: true }).click();
  await expect(result).toContainText("Dropped");
  await expect(result).toContainText("Denied by an ingress rule of a security group");
  await expect(result.getByTestId("check-reason")).toHaveText(
    new RegExp(
      `^Dropped: no inbound rule of pod [\\w-]+/${pod}'s security groups \\(.*web.*\\) allows TCP 22 from 192\\.0\\.2\\.1\\.$`,
    ),
  );
  await expect(
    result.getByRole("table", { name: "Trace" }).getByRole("row").filter({ hasText: "Security groups (ingress)" }),
  ).toContainText("Dropped");
  await page.screenshot({ path: ".test-results/screenshots/networks-check-internet.png", fullPage: true });

  // A named internet host.
  await check.getByLabel("Internet address").fill("198.51.100.20");
  await check.getByLabel("Port").fill("80");
  await check.getByRole("button", { name: "Check", exact: true }).click();
  await expect(result).toContainText("from the internet (198.51.100.20)");
  await expect(result).toContainText("Delivered");

  // In Chinese: the source and the reason in the reader's language (names and addresses as they are).
  await page.context().addCookies([{ name: "tc-locale", value: "zh-CN", url: baseURL ?? "" }]);
  await page.reload();
  const zh = page.locator("section").filter({ has: page.getByRole("heading", { name: "连通性检查" }) });
  await zh.getByLabel("源", { exact: true }).selectOption("internet");
  await zh.getByLabel("目标公网 IP").selectOption(address);
  await zh.getByLabel("端口").fill("22");
  await zh.getByRole("button", { name: "检查", exact: true }).click();
  const zhResult = zh.getByTestId("check-result");
  await expect(zhResult).toContainText("来自互联网（192.0.2.1）");
  await expect(zhResult.getByTestId("check-reason")).toHaveText(
    new RegExp(`^已丢弃：Pod [\\w-]+/${pod} 的安全组（.*web.*）中没有入站规则允许来自 192\\.0\\.2\\.1 的 TCP 22。$`),
  );
  await page.screenshot({ path: ".test-results/screenshots/networks-check-internet-zh.png", fullPage: true });

  // Leave the pool as it was: the address released, the range removed.
  await trpcMutate(page, "publicIps.release", { name: "edge-ip" });
  // The release reaches the pool asynchronously (engine time); until then the range holds the address.
  await expect
    .poll(async () => {
      const res = await admin.request.post("/api/trpc/publicIpsAdmin.deletePool", {
        headers: { "x-tc-client": "e2e" },
        data: { json: { name: POOL.name } },
      });
      return res.status();
    }, ENGINE)
    .toBe(200);
});
