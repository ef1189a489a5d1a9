/**
 * Vpc and Subnet (the tenant's own, outside namespaces) with the real kubectl: every tenant has
 * its `default` VPC and default subnet, listed with their read-time status (subnets; addresses used
 * by its pods); a subnet applied twice (the second unchanged), patched as a set, refused outside
 * the VPC naming its field, deleted; another tenant's are NotFound and a viewer writes nothing;
 * `-o wide` and `describe`; a new pod of a subnet's namespace takes an address there; deleting the
 * default subnet, a subnet holding a pod's address or a VPC with subnets is refused with the
 * engine's reason. Skipped without kubectl.
 */
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { type KubeFixture, startKubeFixture } from "./testing/fixture";
import { hasKubectl, kubectlAs, type KubectlRunner } from "./testing/kubectl";

let f: KubeFixture;
let owner: KubectlRunner;
let viewer: KubectlRunner;
let ownerB: KubectlRunner;

beforeAll(async () => {
  if (!hasKubectl) return;
  f = await startKubeFixture();
  owner = kubectlAs(f, f.tokens.a, f.tenants.a.namespace);
  viewer = kubectlAs(f, f.tokens.aViewer, f.tenants.a.namespace);
  ownerB = kubectlAs(f, f.tokens.b, f.tenants.b.namespace);
}, 60_000);
afterAll(async () => f?.close());

const SHOP_SUBNET = `apiVersion: cloud.tenant.io/v1
kind: Subnet
metadata:
  name: shop
spec:
  cidrBlock: 10.0.64.0/24
  namespaces:
    - shop
`;

const notFound = /NotFound|not found/;
const forbidden = /Forbidden|forbidden/;

describe.skipIf(!hasKubectl)("VPCs and subnets with kubectl", () => {
  it("lists the tenant's default VPC and subnet with their status; explain reads their schemas", async () => {
    const res = await owner.ok(["api-resources", "--api-group=cloud.tenant.io"]);
    expect(res).toMatch(/^vpcs\s+vpc\s+cloud.tenant.io\/v1\s+false\s+Vpc/m);
    expect(res).toMatch(/^subnets\s+subnet\s+cloud.tenant.io\/v1\s+false\s+Subnet/m);
    expect(await owner.ok(["get", "vpc"])).toMatch(
      /^NAME\s+CIDR\s+SUBNETS\s+AGE\ndefault\s+10\.0\.0\.0\/16\s+default\s+/,
    );
    const subnet = JSON.parse(await owner.ok(["get", "subnet", "default", "-o", "json"]));
    expect(subnet.spec).toMatchObject({ default: true, namespaces: [] });
    // The fixture's two web pods hold addresses of it.
    expect(subnet.status).toMatchObject({ used: 2 });
    expect(subnet.status.namespaces).toContain(f.tenants.a.namespace);
    expect(await owner.ok(["get", "subnet"])).toMatch(/^default\s+\S+\s+\S+\s+2\s+\d+\s+true\s+/m);
    expect(await owner.ok(["explain", "subnet.spec.excludeIps"])).toMatch(/never handed out/);
  });

  it("a subnet: apply twice (unchanged), a set patch, refused outside the VPC, deleted; isolated", async () => {
    const file = owner.file("shop-subnet.yaml", SHOP_SUBNET);
    expect(await owner.ok(["apply", "-f", file])).toMatch(/subnet.cloud.tenant.io\/shop created/);
    expect(await owner.ok(["apply", "-f", file])).toMatch(/subnet.cloud.tenant.io\/shop unchanged/);
    // A strategic merge patch adds a namespace without restating the others.
    await owner.ok(["patch", "subnet", "shop", "-p", '{"spec":{"namespaces":["checkout"]}}']);
    expect(await owner.ok(["get", "subnet", "shop", "-o", "jsonpath={.spec.namespaces}"])).toBe('["checkout","shop"]');
    expect(await owner.ok(["get", "vpc", "default", "-o", "jsonpath={.status.subnets}"])).toMatch(/shop/);

    const outside = await owner.run([
      "patch",
      "subnet",
      "shop",
      "--type",
      "merge",
      "-p",
      '{"spec":{"cidrBlock":"192.168.0.0/24"}}',
    ]);
    expect(outside.code).not.toBe(0);
    expect(outside.stderr).toMatch(/spec\.cidrBlock/);

    expect((await ownerB.run(["get", "subnet", "shop"])).stderr).toMatch(notFound);
    expect(await ownerB.ok(["get", "subnet", "-o", "name"])).toBe("subnet.cloud.tenant.io/default\n");
    expect((await viewer.run(["delete", "subnet", "shop"])).stderr).toMatch(forbidden);
    expect(await owner.ok(["delete", "subnet", "shop"])).toMatch(/subnet.cloud.tenant.io "shop" deleted/);
    expect((await owner.run(["get", "subnet", "shop"])).stderr).toMatch(notFound);
  });

  it("wide and describe; a new pod takes its namespace's subnet; deletions the engine refuses say why", async () => {
    const apps = `apiVersion: cloud.tenant.io/v1
kind: Subnet
metadata:
  name: apps
spec:
  cidrBlock: 10.0.65.0/24
  namespaces:
    - ${f.tenants.a.namespace}
`;
    expect(await owner.ok(["apply", "-f", owner.file("apps-subnet.yaml", apps)])).toMatch(
      /subnet.cloud.tenant.io\/apps created/,
    );
    expect(await owner.ok(["get", "subnets", "-o", "wide"])).toMatch(
      /^NAME\s+CIDR\s+NAMESPACES\s+USED\s+FREE\s+DEFAULT\s+AGE\s+GATEWAY\s+ON-HOLD\napps\s+10\.0\.65\.0\/24\s+kube-a\s+0\s+253\s+false\s+\S+\s+10\.0\.65\.1\s+0\n/,
    );
    const engine = f.h.services.engine;
    await engine.scaleDeployment(f.tenants.a.id, "web", 3);
    await engine.settle();
    const ips = JSON.parse(await owner.ok(["get", "pods", "-o", "json"])).items.map(
      (p: { status: { podIP?: string } }) => p.status.podIP ?? "",
    ) as string[];
    expect(ips.filter((ip) => ip.startsWith("10.0.65.")).length).toBe(1);
    const described = await owner.ok(["describe", "subnet", "apps"]);
    expect(described).toMatch(/Cidr Block:\s+10\.0\.65\.0\/24/);
    expect(described).toMatch(/Used:\s+1/);

    const busy = await owner.run(["delete", "subnet", "apps"]);
    expect(busy.code).not.toBe(0);
    expect(busy.stderr).toMatch(/Conflict|conflict/);
    expect(busy.stderr).toMatch(/is in use: pod "kube-a\//);
    const defaultSubnet = await owner.run(["delete", "subnet", "default"]);
    expect(defaultSubnet.stderr).toMatch(/is the default subnet; it cannot be deleted/);
    const vpc = await owner.run(["delete", "vpc", "default"]);
    expect(vpc.stderr).toMatch(/a VPC cannot be deleted while it has subnets/);
    expect(await owner.ok(["get", "subnet", "-o", "name"])).toBe(
      "subnet.cloud.tenant.io/apps\nsubnet.cloud.tenant.io/default\n",
    );
  });
});
