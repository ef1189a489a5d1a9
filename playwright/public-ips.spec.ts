import { type Browser, expect, type Page, test } from "@playwright/test";
import { freshEmail, operator } from "./accounts";
import { inviteAndJoin } from "./api-session";
import { createTenantThroughUi, signInThroughUi, signUpThroughUi, trpcMutate, trpcQuery } from "./helpers";

/**
 * Public IPs end to end. An operator fills the shared pool on Admin → Network (a bad range refused
 * at its field, a documentation range accepted, a second range added and removed after a
 * confirmation); a tenant allocates public IPs in the dialog (mistakes shown at the field), binds
 * one to a LoadBalancer service (the Services pages show it as the public address) and one to a
 * pod with a sticky binding, unbinds and releases after confirmations; a viewer reads the page
 * without its controls (in English and in Chinese); the operator sees the tenant's usage. Then a
 * flood black-holes an address: the tenant's page says so in a banner, the operator ends the
 * blackhole and turns protection off from the DDoS events and overrides, and the banner goes.
 */
const ENGINE = { timeout: 90_000 };

const workloads = (extra = "") => `apiVersion: apps/v1
kind: Deployment
metadata:
  name: web
spec:
  replicas: 1
  selector:
    matchLabels: { app: web }
  template:
    metadata:
      labels: { app: web }
    spec:
      containers:
        - name: web
          image: nginx:1.27
          ports: [{ containerPort: 80 }]
---
apiVersion: v1
kind: Service
metadata:
  name: shop
spec:
  type: LoadBalancer
  selector: { app: web }
  ports: [{ port: 80 }]
${extra}`;

/** A pod sending a small-packet UDP flood (millions of packets/s) to `address`. */
const flooder = (address: string) => `---
apiVersion: apps/v1
kind: Deployment
metadata:
  name: flood
spec:
  replicas: 1
  selector:
    matchLabels: { app: flood }
  template:
    metadata:
      labels: { app: flood }
    spec:
      containers:
        - name: flood
          image: busybox:1.36
          env:
            - name: SIM_TRAFFIC
              value: "to=${address};proto=udp;port=9;rate=5G;size=64"
`;

type Ip = { name: string; address: string; phase: string; ddos: { blackholedUntil?: number } };

async function operatorPage(browser: Browser): Promise<Page> {
  const page = await (await browser.newContext()).newPage();
  await signInThroughUi(page, operator.email);
  return page;
}

async function firstPod(page: Page, prefix: string): Promise<string> {
  let pod = "";
  await expect
    .poll(async () => {
      const { items } = await trpcQuery<{ items: { name: string; status: { phase: string } }[] }>(
        page,
        "pods.list",
        {},
      );
      pod = items.find((p) => p.name.startsWith(`${prefix}-`) && p.status.phase === "Running")?.name ?? "";
      return pod;
    }, ENGINE)
    .not.toBe("");
  return pod;
}

test("an operator fills the pool; a tenant allocates, binds, unbinds and releases public IPs", async ({
  page,
  browser,
  baseURL,
}) => {
  test.setTimeout(240_000);
  // The operator's pool: a bad range is refused at its field, a documentation range accepted.
  const admin = await operatorPage(browser);
  await admin.goto("/admin/network");
  await expect(admin.getByRole("heading", { level: 1, name: "Network" })).toBeVisible();
  await expect(admin.getByRole("heading", { level: 2, name: "Public address pool" })).toBeVisible();
  const create = admin.getByRole("form", { name: "Create a pool" });
  await create.getByLabel("Pool name").fill("public-1");
  const range = create.getByLabel("First range");
  await range.fill("203.0.113.0/8");
  await create.getByRole("button", { name: "Create pool" }).click();
  await expect(range).toHaveAttribute("aria-invalid", "true");
  await range.fill("203.0.113.0/24");
  await create.getByRole("button", { name: "Create pool" }).click();
  await expect(admin.getByText("Pool public-1 created.")).toBeVisible();
  const ranges = admin.getByRole("table", { name: "Ranges of pool public-1" });
  await expect(ranges.getByRole("row").filter({ hasText: "203.0.113.0/24" })).toContainText(
    /0 used, 0 on hold, \d+ free/,
  );
  const add = admin.getByRole("form", { name: "New range for public-1" });
  await add.getByLabel("New range for public-1").fill("198.51.100.0/28");
  await add.getByRole("button", { name: "Add range" }).click();
  await expect(admin.getByText("Range 198.51.100.0/28 added to public-1.")).toBeVisible();
  await ranges.getByRole("button", { name: "Remove 198.51.100.0/28" }).click();
  await admin
    .getByRole("dialog", { name: "Remove range 198.51.100.0/28?" })
    .getByRole("button", { name: "Remove" })
    .click();
  await expect(admin.getByText("Range 198.51.100.0/28 removed from public-1.")).toBeVisible();
  await expect(ranges.getByRole("row")).toHaveCount(2);

  // A tenant with a deployment and a LoadBalancer service.
  await signUpThroughUi(page, freshEmail("pip"));
  await createTenantThroughUi(page, "Public Works");
  await trpcMutate(page, "manifests.applyYaml", { yaml: workloads() });
  const pod = await firstPod(page, "web");
  await page
    .getByRole("navigation", { name: "Tenant console" })
    .getByRole("link", { name: "Public IPs", exact: true })
    .click();
  await expect(page.getByRole("heading", { level: 1, name: "Public IPs" })).toBeVisible();
  await expect(page.getByText("No public IPs yet")).toBeVisible();

  // Allocate: mistakes at their field, then an address from the pool.
  await page.getByRole("button", { name: "Allocate public IP" }).click();
  const allocate = page.getByRole("dialog", { name: "Allocate a public IP" });
  await allocate.getByLabel("Name", { exact: true }).fill("Web_IP");
  await allocate.getByLabel("Bandwidth (Mbit/s)").fill("0");
  await allocate.getByRole("button", { name: "Allocate" }).click();
  await expect(allocate.getByLabel("Name", { exact: true })).toHaveAccessibleDescription(/Use lowercase letters/);
  await expect(allocate.getByLabel("Bandwidth (Mbit/s)")).toHaveAccessibleDescription(/1 to 10000/);
  await allocate.getByLabel("Name", { exact: true }).fill("web-ip");
  await allocate.getByLabel("Bandwidth (Mbit/s)").fill("20");
  await allocate.getByRole("button", { name: "Allocate" }).click();
  await expect(page.getByText(/Public IP web-ip allocated: 203\.0\.113\.\d+\./)).toBeVisible();
  const table = page.getByRole("table", { name: "Public IPs" });
  const webRow = table.getByRole("row").filter({ hasText: "web-ip" });
  await expect(webRow).toContainText("Not bound");
  await expect(webRow).toContainText("Allocated");
  await expect(webRow).toContainText("20 Mbit/s");
  await expect(webRow).toContainText("Protected");
  const address = (await trpcQuery<Ip>(page, "publicIps.get", { name: "web-ip" })).address;
  expect(address).toMatch(/^203\.0\.113\.\d+$/);

  // Bind it to the LoadBalancer service.
  await webRow.getByRole("button", { name: "Bind", exact: true }).click();
  const bind = page.getByRole("dialog", { name: `Bind web-ip (${address})` });
  await bind.getByLabel("Bind to").selectOption({ label: "A LoadBalancer service" });
  await bind.getByLabel("Service", { exact: true }).selectOption("shop");
  await bind.getByRole("button", { name: "Bind", exact: true }).click();
  await expect(page.getByText("web-ip bound to service/shop.")).toBeVisible();
  await expect(webRow).toContainText("service/shop");
  await expect(webRow).toContainText("Bound", ENGINE);

  // A second address on the pod, sticky.
  await page.getByRole("button", { name: "Allocate public IP" }).click();
  await allocate.getByLabel("Name", { exact: true }).fill("pod-ip");
  await allocate.getByRole("button", { name: "Allocate" }).click();
  const podRow = table.getByRole("row").filter({ hasText: "pod-ip" });
  await expect(podRow).toContainText("5 Mbit/s");
  await podRow.getByRole("button", { name: "Bind", exact: true }).click();
  const bindPod = page.getByRole("dialog", { name: /^Bind pod-ip/ });
  await bindPod.getByLabel("Pod", { exact: true }).selectOption(pod);
  const sticky = bindPod.getByLabel("Sticky: follow the pod's replacement");
  await expect(sticky).toHaveAccessibleDescription(/moves to the replacement pod/);
  await sticky.check();
  await bindPod.getByRole("button", { name: "Bind", exact: true }).click();
  await expect(podRow).toContainText(`pod/${pod}`);
  await expect(podRow).toContainText("(sticky)");
  await expect(podRow).toContainText("Bound", ENGINE);
  await page.screenshot({ path: ".test-results/screenshots/public-ips.png", fullPage: true });

  // The pod's page shows the public IP it holds, and that no security group filters it.
  const podAddress = (await podRow.getByRole("cell").nth(1).textContent())?.trim() ?? "";
  expect(podAddress).toMatch(/^\d+\.\d+\.\d+\.\d+$/);
  await page.goto(`/pods/${encodeURIComponent(pod)}`);
  await expect(page.getByTestId("pod-public-ip")).toHaveText(podAddress, ENGINE);
  await expect(page.getByTestId("pod-security-groups")).toContainText("not filtered by groups");

  // The Services pages show the public address and where it comes from.
  await page.getByRole("link", { name: "Services", exact: true }).click();
  const shopRow = page.getByRole("table", { name: "Services" }).getByRole("row").filter({ hasText: "shop" });
  await expect(shopRow.getByRole("cell").nth(3)).toHaveText(address, ENGINE);
  await shopRow.getByRole("link", { name: "shop" }).click();
  await expect(page.getByTestId("service-externalIP")).toHaveText(address);
  await expect(page.getByTestId("service-publicIp")).toContainText("public IP web-ip");

  // A viewer reads the page without its controls.
  const viewerContext = await browser.newContext();
  const viewer = await viewerContext.newPage();
  await inviteAndJoin(page, viewer, baseURL ?? "", "viewer");
  await viewer.goto("/public-ips");
  await expect(
    viewer.getByRole("table", { name: "Public IPs" }).getByRole("row").filter({ hasText: "web-ip" }),
  ).toContainText("service/shop");
  await expect(viewer.getByRole("button", { name: "Allocate public IP" })).toHaveCount(0);
  await expect(viewer.getByRole("button", { name: "Release" })).toHaveCount(0);
  // And in Chinese: the page's own catalog part is served.
  await viewerContext.addCookies([{ name: "tc-locale", value: "zh-CN", url: baseURL ?? "" }]);
  await viewer.reload();
  await expect(viewer.getByRole("heading", { level: 1, name: "公网 IP" })).toBeVisible();
  await expect(
    viewer.getByRole("table", { name: "公网 IP" }).getByRole("row").filter({ hasText: "web-ip" }),
  ).toContainText("已绑定");
  await viewerContext.close();

  // Unbind, then release, each after a confirmation.
  await page.goto("/public-ips");
  await webRow.getByRole("button", { name: "Unbind" }).click();
  const unbind = page.getByRole("dialog", { name: "Unbind web-ip?" });
  await expect(unbind).toContainText(`${address} stops reaching service/shop`);
  await unbind.getByRole("button", { name: "Unbind" }).click();
  await expect(page.getByText("web-ip unbound.")).toBeVisible();
  await expect(webRow).toContainText("Not bound");
  await webRow.getByRole("button", { name: "Release" }).click();
  await page.getByRole("dialog", { name: "Release web-ip?" }).getByRole("button", { name: "Release" }).click();
  await expect(page.getByText("web-ip released.")).toBeVisible();
  await expect(webRow).toHaveCount(0);

  // The operator sees the tenant's address, its usage, and the address on hold in the pool.
  await admin.reload();
  await expect(admin.getByRole("table", { name: "Public IPs of all tenants" })).toContainText("pod-ip");
  const usage = admin
    .getByRole("table", { name: "Network usage by tenant" })
    .getByRole("row")
    .filter({ hasText: "Public Works" });
  await expect(usage.getByRole("cell").nth(1)).toHaveText("1 (1)");
  await expect(usage.getByRole("cell").nth(2)).toHaveText("5 Mbit/s");
  await expect(ranges.getByRole("row").filter({ hasText: "203.0.113.0/24" })).toContainText("1 used, 1 on hold");
  await admin.screenshot({ path: ".test-results/screenshots/admin-network-public.png", fullPage: true });
  await admin.context().close();
});

test("a flood black-holes an address: the tenant sees the banner, the operator ends it", async ({ page, browser }) => {
  test.setTimeout(240_000);
  const admin = await operatorPage(browser);
  await trpcMutate(admin, "publicIpsAdmin.createPool", { name: "flood-test", cidrs: ["198.51.100.64/26"] });

  await signUpThroughUi(page, freshEmail("ddos"));
  await createTenantThroughUi(page, "Flood Target");
  await trpcMutate(page, "manifests.applyYaml", { yaml: workloads() });
  const victimPod = await firstPod(page, "web");
  await trpcMutate(page, "publicIps.allocate", { name: "victim-ip" });
  await trpcMutate(page, "publicIps.bind", { name: "victim-ip", target: { kind: "Pod", name: victimPod } });
  const victim = await trpcQuery<Ip>(page, "publicIps.get", { name: "victim-ip" });
  // The flooding pod reaches the public network through its own public IP, with bandwidth to spare.
  await trpcMutate(page, "manifests.applyYaml", { yaml: flooder(victim.address) });
  const floodPod = await firstPod(page, "flood");
  await trpcMutate(page, "publicIps.allocate", { name: "flood-ip", bandwidthMbps: 10000 });
  await trpcMutate(page, "publicIps.bind", { name: "flood-ip", target: { kind: "Pod", name: floodPod } });

  await page.goto("/public-ips");
  const banner = page.getByTestId("blackhole-banner");
  await expect(banner).toContainText("1 public IP is black-holed", ENGINE);
  await expect(banner).toContainText(`victim-ip (${victim.address}) in`);
  await expect(banner).toContainText("until");
  const victimRow = page.getByRole("table", { name: "Public IPs" }).getByRole("row").filter({ hasText: "victim-ip" });
  await expect(victimRow).toContainText("Black-holed until");
  await page.screenshot({ path: ".test-results/screenshots/public-ips-blackholed.png", fullPage: true });

  // The operator: the event, then the overrides, each confirmed.
  await admin.goto("/admin/network");
  const events = admin.getByRole("table", { name: "DDoS events" });
  await expect(events.getByRole("row").filter({ hasText: victim.address }).first()).toContainText("Black-holed");
  await expect(events).toContainText("Flood Target");
  const ipRow = admin
    .getByRole("table", { name: "Public IPs of all tenants" })
    .getByRole("row")
    .filter({ hasText: victim.address });
  await expect(ipRow).toContainText("Black-holed until");
  await ipRow.getByRole("button", { name: "End blackhole" }).click();
  await admin
    .getByRole("dialog", { name: `End the blackhole of ${victim.address}?` })
    .getByRole("button", { name: "End blackhole" })
    .click();
  await expect(admin.getByText(`Blackhole of ${victim.address} ended.`)).toBeVisible();
  await expect(events.getByRole("row").filter({ hasText: "Blackhole ended" })).not.toHaveCount(0);
  // The flood goes on: protection off, so it is not black-holed again.
  await ipRow.getByRole("button", { name: "Disable protection" }).click();
  await admin
    .getByRole("dialog", { name: `Disable DDoS protection for ${victim.address}?` })
    .getByRole("button", { name: "Disable protection" })
    .click();
  await expect(admin.getByText(`Protection disabled for ${victim.address}.`)).toBeVisible();
  await expect(ipRow).toContainText("Protection disabled by the operators");
  const usage = admin
    .getByRole("table", { name: "Network usage by tenant" })
    .getByRole("row")
    .filter({ hasText: "Flood Target" });
  await expect(usage.getByRole("cell").nth(1)).toHaveText("2 (2)");
  await admin.screenshot({ path: ".test-results/screenshots/admin-network-ddos.png", fullPage: true });

  // The tenant's page follows through the live feed: no banner, the override shown.
  await expect(banner).toHaveCount(0, ENGINE);
  await expect(victimRow).toContainText("Protection disabled by the operators");
  await admin.context().close();
});
