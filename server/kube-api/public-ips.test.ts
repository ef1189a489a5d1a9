/**
 * PublicIP (pip) and PublicIPPool (pipool) with the real kubectl: discovery and explain; an
 * operator creates the pool (a documentation range) and reads its usage, a tenant may not even
 * list pools; a tenant applies a PublicIP twice (the second unchanged), lists it with kubectl's
 * default and wide columns, describes it, binds it to a pod by a merge patch, to a LoadBalancer
 * Service (whose EXTERNAL-IP then shows the address), server-side applies one, deletes them;
 * status is the server's; bad input is Invalid naming its field; another tenant's PublicIP is
 * NotFound and a viewer writes nothing. Skipped without kubectl.
 */
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { type KubeFixture, startKubeFixture } from "./testing/fixture";
import { hasKubectl, kubectlAs, type KubectlRunner } from "./testing/kubectl";

let f: KubeFixture;
let owner: KubectlRunner;
let viewer: KubectlRunner;
let ownerB: KubectlRunner;
let operator: KubectlRunner;
let ns: string;

beforeAll(async () => {
  if (!hasKubectl) return;
  f = await startKubeFixture();
  ns = f.tenants.a.namespace;
  owner = kubectlAs(f, f.tokens.a, ns);
  viewer = kubectlAs(f, f.tokens.aViewer, ns);
  ownerB = kubectlAs(f, f.tokens.b, f.tenants.b.namespace);
  operator = kubectlAs(f, f.tokens.operator, ns);
}, 60_000);
afterAll(async () => f?.close());

const POOL = `apiVersion: cloud.tenant.io/v1
kind: PublicIPPool
metadata:
  name: public
spec:
  cidrs:
    - 203.0.113.0/24
`;

const PIP = `apiVersion: cloud.tenant.io/v1
kind: PublicIP
metadata:
  name: web-ip
  labels:
    app: web
spec:
  bandwidthMbps: 20
`;

const notFound = /NotFound|not found/;
const forbidden = /Forbidden|forbidden/;
const ADDRESS = /^203\.0\.113\.\d{1,3}$/;

const usage = { usable: 254, used: 1, onHold: 0, free: 253 };

const settle = () => f.h.services.engine.settle();
const json = async (k: KubectlRunner, args: string[]) => JSON.parse(await k.ok([...args, "-o", "json"]));

describe.skipIf(!hasKubectl)("public IPs with kubectl", () => {
  it("discovery lists both kinds with their short names; explain reads their schemas", async () => {
    const res = await owner.ok(["api-resources", "--api-group=cloud.tenant.io"]);
    expect(res).toMatch(/^publicippools\s+pipool\s+cloud.tenant.io\/v1\s+false\s+PublicIPPool/m);
    expect(res).toMatch(/^publicips\s+pip\s+cloud.tenant.io\/v1\s+true\s+PublicIP/m);
    const spec = await owner.ok(["explain", "publicip.spec"]);
    expect(spec).toMatch(/GROUP:\s+cloud.tenant.io/);
    expect(spec).toMatch(/FIELD:\s+spec <PublicIPSpec>/);
    expect(spec).toMatch(/bandwidthMbps\s+<integer>/);
    expect(spec).toMatch(/target\s+<PublicIPTarget>/);
    expect(spec).toMatch(/sticky\s+<boolean>/);
    expect(await owner.ok(["explain", "pip.spec.target.kind"])).toMatch(/LoadBalancer/);
    expect(await owner.ok(["explain", "pip.status.ddos.blackholedUntil"])).toMatch(/black-holed/);
    expect(await operator.ok(["explain", "pipool.spec.cidrs"])).toMatch(/\/16 to \/30/);
  });

  it("pools: an operator creates and reads them; a tenant may neither read nor write them", async () => {
    const file = operator.file("pool.yaml", POOL);
    expect((await owner.run(["create", "-f", file])).stderr).toMatch(forbidden);
    expect(await operator.ok(["create", "-f", file])).toMatch(/publicippool.cloud.tenant.io\/public created/);
    expect(await operator.ok(["get", "pipool"])).toMatch(/^NAME\s+CIDRS\s+.*\npublic\s+203\.0\.113\.0\/24\s+/);
    const pool = await json(operator, ["get", "pipool", "public"]);
    expect(pool.spec.cidrs).toEqual(["203.0.113.0/24"]);

    const listed = await owner.run(["get", "pipool"]);
    expect(listed.code).not.toBe(0);
    expect(listed.stderr).toMatch(/publicippools.cloud.tenant.io is forbidden/);
    expect(listed.stderr).toMatch(/operators' infrastructure/);
    expect((await owner.run(["get", "pipool", "public"])).stderr).toMatch(forbidden);
    expect((await ownerB.run(["delete", "pipool", "public"])).stderr).toMatch(forbidden);
    expect((await owner.run(["auth", "can-i", "list", "publicippools.cloud.tenant.io"])).stdout).toBe(
      "no - public IP pools are the operators' infrastructure\n",
    );
    expect(await operator.ok(["auth", "can-i", "create", "publicippools.cloud.tenant.io"])).toMatch(/yes/);
    // Tenants' own public IPs are theirs to write; an operator token does not write them.
    expect(await owner.ok(["auth", "can-i", "create", "publicips.cloud.tenant.io"])).toMatch(/yes/);
    expect((await viewer.run(["auth", "can-i", "create", "publicips.cloud.tenant.io"])).stdout).toMatch(/^no - needs/);
    expect((await operator.run(["auth", "can-i", "create", "publicips.cloud.tenant.io"])).stdout).toMatch(
      /^no - operator API tokens read only/,
    );
  });

  it("a PublicIP: apply twice (unchanged), get (default and wide), describe; status is the server's", async () => {
    const file = owner.file("pip.yaml", PIP);
    expect(await owner.ok(["apply", "-f", file])).toMatch(/publicip.cloud.tenant.io\/web-ip created/);
    expect(await owner.ok(["apply", "-f", file])).toMatch(/publicip.cloud.tenant.io\/web-ip unchanged/);
    const pip = await json(owner, ["get", "pip", "web-ip"]);
    expect(pip.status.address).toMatch(ADDRESS);
    expect(pip.status).toMatchObject({ pool: "public", phase: "Allocated" });
    expect(pip.spec).toMatchObject({ bandwidthMbps: 20 });
    const address = pip.status.address as string;

    const table = await owner.ok(["get", "pip"]);
    expect(table).toMatch(/^NAME\s+ADDRESS\s+BANDWIDTH\s+TARGET\s+PHASE\s+AGE\n/);
    expect(table).toMatch(
      new RegExp(`^web-ip\\s+${address.replaceAll(".", "\\.")}\\s+20Mbps\\s+<none>\\s+Allocated\\s+\\d+s`, "m"),
    );
    const wide = await owner.ok(["get", "publicips", "-o", "wide"]);
    expect(wide).toMatch(/^NAME\s+ADDRESS\s+BANDWIDTH\s+TARGET\s+PHASE\s+AGE\s+POOL\s+STICKY\s+BLACKHOLED-UNTIL\n/);
    expect(wide).toMatch(/^web-ip\s+\S+\s+20Mbps\s+<none>\s+Allocated\s+\d+s\s+public\s+false\s+/m);

    const described = await owner.ok(["describe", "pip", "web-ip"]);
    expect(described).toMatch(/Name:\s+web-ip/);
    expect(described).toMatch(new RegExp(`Namespace:\\s+${ns}`));
    expect(described).toMatch(/Bandwidth Mbps:\s+20/);
    expect(described).toMatch(new RegExp(`Address:\\s+${address.replaceAll(".", "\\.")}`));

    // A written status is ignored: the address is the pool's, fixed for the object's life.
    const forged = JSON.stringify({ status: { address: "198.51.100.9", phase: "Bound" } });
    await owner.ok(["patch", "pip", "web-ip", "--type", "merge", "-p", forged]);
    expect(await owner.ok(["get", "pip", "web-ip", "-o", "jsonpath={.status.address} {.status.phase}"])).toBe(
      `${address} Allocated`,
    );

    // Another tenant does not see it; a viewer reads it and writes nothing.
    expect((await ownerB.run(["get", "pip", "web-ip"])).stderr).toMatch(notFound);
    expect(await ownerB.ok(["get", "pip", "-o", "name"])).toBe("");
    expect((await ownerB.run(["get", "pip", "web-ip", "-n", ns])).stderr).toMatch(forbidden);
    expect(await viewer.ok(["get", "pip", "web-ip", "-o", "name"])).toBe("publicip.cloud.tenant.io/web-ip\n");
    expect((await viewer.run(["delete", "pip", "web-ip"])).stderr).toMatch(forbidden);
    expect((await operator.run(["delete", "pip", "web-ip"])).stderr).toMatch(forbidden);
    // An operator reads every tenant's.
    expect(await operator.ok(["get", "pip", "web-ip", "-o", "jsonpath={.status.address}"])).toBe(address);
    expect(await operator.ok(["get", "pip", "-A", "-o", "name"])).toMatch(/publicip.cloud.tenant.io\/web-ip/);

    // A server dry run checks the allocation and holds nothing; the pool counts only web-ip.
    const dry = { apiVersion: "cloud.tenant.io/v1", kind: "PublicIP", metadata: { name: "dry" }, spec: {} };
    expect(await owner.ok(["create", "--dry-run=server", "-f", owner.file("dry.json", dry)])).toMatch(
      /publicip.cloud.tenant.io\/dry created \(server dry run\)/,
    );
    expect((await owner.run(["get", "pip", "dry"])).stderr).toMatch(notFound);

    // The tenant's quota counts held addresses: past it, Forbidden (kube-apiserver's answer to a quota).
    await f.h.services.engine.setQuota(f.tenants.a.id, { publicIps: 1 });
    const over = await owner.run(["create", "-f", owner.file("over.json", { ...dry, metadata: { name: "over" } })]);
    expect(over.code).not.toBe(0);
    expect(over.stderr).toMatch(/Error from server \(Forbidden\)/);
    expect(over.stderr).toMatch(
      /exceeded quota: tenant-quota, requested: publicips=1, used: publicips=1, limited: publicips=1/,
    );
    await f.h.services.engine.setQuota(f.tenants.a.id, {});
  });

  it("an operator reads a pool's usage (computed at read time) in its status and columns", async () => {
    const pool = await json(operator, ["get", "pipool", "public"]);
    expect(pool.status).toEqual({ ...usage, ranges: [{ cidr: "203.0.113.0/24", ...usage }] });
    expect(await operator.ok(["get", "pipool"])).toMatch(
      /^NAME\s+CIDRS\s+USED\s+FREE\s+AGE\npublic\s+203\.0\.113\.0\/24\s+1\s+253\s+/,
    );
  });

  it("binds to a pod by a merge patch, follows field selectors, and is refused bad input by field", async () => {
    const pods = (await json(owner, ["get", "pods", "-l", "app=web"])).items as { metadata: { name: string } }[];
    const pod = pods[0]?.metadata.name as string;
    expect(
      await owner.ok([
        "patch",
        "pip",
        "web-ip",
        "--type",
        "merge",
        "-p",
        JSON.stringify({ spec: { target: { kind: "Pod", name: pod } } }),
      ]),
    ).toMatch(/publicip.cloud.tenant.io\/web-ip patched/);
    await settle();
    const bound = await json(owner, ["get", "pip", "web-ip"]);
    expect(bound.spec.target).toEqual({ kind: "Pod", name: pod });
    expect(bound.status).toMatchObject({ phase: "Bound", boundPod: pod });
    expect(await owner.ok(["get", "pip"])).toMatch(new RegExp(`^web-ip\\s+\\S+\\s+20Mbps\\s+pod/${pod}\\s+Bound`, "m"));
    expect(await owner.ok(["get", "pip", "--field-selector", "status.phase=Bound", "-o", "name"])).toBe(
      "publicip.cloud.tenant.io/web-ip\n",
    );
    expect(await owner.ok(["get", "pip", "--field-selector", `spec.target.name=${pod}`, "-o", "name"])).toBe(
      "publicip.cloud.tenant.io/web-ip\n",
    );
    expect(await owner.ok(["get", "pip", "--field-selector", "status.phase=Allocated", "-o", "name"])).toBe("");

    // A re-apply of the file leaves the binding the patch made (client-side apply owns only bandwidth).
    expect(await owner.ok(["apply", "-f", owner.file("pip.yaml", PIP)])).toMatch(/unchanged/);

    const bad = await owner.run(["patch", "pip", "web-ip", "--type", "merge", "-p", '{"spec":{"bandwidthMbps":0}}']);
    expect(bad.code).not.toBe(0);
    expect(bad.stderr).toMatch(/spec\.bandwidthMbps/);
    const second = await owner.run([
      "create",
      "-f",
      owner.file("second.json", {
        apiVersion: "cloud.tenant.io/v1",
        kind: "PublicIP",
        metadata: { name: "second" },
        spec: { target: { kind: "Pod", name: pod } },
      }),
    ]);
    expect(second.stderr).toMatch(/AlreadyExists|Conflict|already/i);

    // Unbinding: a JSON patch removing the target.
    await owner.ok(["patch", "pip", "web-ip", "--type", "json", "-p", '[{"op":"remove","path":"/spec/target"}]']);
    await settle();
    expect(await owner.ok(["get", "pip", "web-ip", "-o", "jsonpath={.status.phase}"])).toBe("Allocated");
  });

  it("a LoadBalancer Service shows its PublicIP as EXTERNAL-IP; a ClusterIP target is refused", async () => {
    const service = (name: string, type: string) => ({
      apiVersion: "v1",
      kind: "Service",
      metadata: { name },
      spec: { type, selector: { app: "web" }, ports: [{ port: 80, protocol: "TCP" }] },
    });
    await owner.ok(["apply", "-f", owner.file("shop.json", service("shop", "LoadBalancer"))]);
    await owner.ok(["apply", "-f", owner.file("internal.json", service("internal", "ClusterIP"))]);
    expect(await owner.ok(["get", "svc", "shop"])).toMatch(/^shop\s+LoadBalancer\s+\S+\s+<pending>\s+80\/TCP/m);

    const lbIp = {
      apiVersion: "cloud.tenant.io/v1",
      kind: "PublicIP",
      metadata: { name: "shop-ip" },
      spec: { target: { kind: "Service", name: "shop" } },
    };
    // Server-side apply, twice: the second changes nothing.
    const ssa = owner.file("shop-ip.json", lbIp);
    expect(await owner.ok(["apply", "--server-side", "-f", ssa])).toMatch(
      /publicip.cloud.tenant.io\/shop-ip serverside-applied/,
    );
    const rv = await owner.ok(["get", "pip", "shop-ip", "-o", "jsonpath={.metadata.resourceVersion}"]);
    await owner.ok(["apply", "--server-side", "-f", ssa]);
    expect(await owner.ok(["get", "pip", "shop-ip", "-o", "jsonpath={.metadata.resourceVersion}"])).toBe(rv);
    await settle();

    const pip = await json(owner, ["get", "pip", "shop-ip"]);
    expect(pip.spec.bandwidthMbps).toBe(5);
    expect(pip.status.phase).toBe("Bound");
    const address = pip.status.address as string;
    expect(await owner.ok(["get", "svc", "shop", "-o", "jsonpath={.status.loadBalancer.ingress[0].ip}"])).toBe(address);
    expect(await owner.ok(["get", "svc", "shop"])).toMatch(
      new RegExp(`^shop\\s+LoadBalancer\\s+\\S+\\s+${address.replaceAll(".", "\\.")}\\s+80\\/TCP`, "m"),
    );
    expect(await owner.ok(["get", "pip", "shop-ip"])).toMatch(/shop-ip\s+\S+\s+5Mbps\s+service\/shop\s+Bound/);

    const refused = await owner.run([
      "create",
      "-f",
      owner.file("internal-ip.json", {
        ...lbIp,
        metadata: { name: "internal-ip" },
        spec: { target: { kind: "Service", name: "internal" } },
      }),
    ]);
    expect(refused.code).not.toBe(0);
    expect(refused.stderr).toMatch(/spec\.target\.kind/);
    expect(refused.stderr).toMatch(/LoadBalancer/);

    // Released: the Service loses its external address.
    expect(await owner.ok(["delete", "pip", "shop-ip"])).toMatch(/publicip.cloud.tenant.io "shop-ip" deleted/);
    await settle();
    expect(await owner.ok(["get", "svc", "shop"])).toMatch(/^shop\s+LoadBalancer\s+\S+\s+<pending>/m);
    await owner.ok(["delete", "svc", "shop", "internal"]);
  });

  it("pools: a strategic merge patch adds a range; a pool holding addresses is not deleted", async () => {
    // The ranges are a set (kept in address order): the patch adds one without restating the other.
    await operator.ok(["patch", "pipool", "public", "-p", '{"spec":{"cidrs":["198.51.100.0/24"]}}']);
    expect(await operator.ok(["get", "pipool", "public", "-o", "jsonpath={.spec.cidrs}"])).toBe(
      '["198.51.100.0/24","203.0.113.0/24"]',
    );
    const held = await operator.run(["delete", "pipool", "public"]);
    expect(held.code).not.toBe(0);
    expect(held.stderr).toMatch(/Conflict|conflict|allocated/);

    // A second pool by server-side apply, twice: the second changes nothing; an overlapping range is refused.
    const spare = {
      apiVersion: "cloud.tenant.io/v1",
      kind: "PublicIPPool",
      metadata: { name: "spare" },
      spec: { cidrs: ["192.0.2.0/24"] },
    };
    const ssa = operator.file("spare.json", spare);
    expect(await operator.ok(["apply", "--server-side", "-f", ssa])).toMatch(
      /publicippool.cloud.tenant.io\/spare serverside-applied/,
    );
    const rv = await operator.ok(["get", "pipool", "spare", "-o", "jsonpath={.metadata.resourceVersion}"]);
    await operator.ok(["apply", "--server-side", "-f", ssa]);
    expect(await operator.ok(["get", "pipool", "spare", "-o", "jsonpath={.metadata.resourceVersion}"])).toBe(rv);
    const overlap = await operator.run([
      "apply",
      "--server-side",
      "-f",
      operator.file("overlap.json", { ...spare, spec: { cidrs: ["192.0.2.0/24", "203.0.113.128/25"] } }),
    ]);
    expect(overlap.code).not.toBe(0);
    expect(overlap.stderr).toMatch(/spec\.cidrs/);
    expect(await operator.ok(["delete", "pipool", "spare"])).toMatch(/publicippool.cloud.tenant.io "spare" deleted/);

    expect(await owner.ok(["delete", "pip", "web-ip"])).toMatch(/publicip.cloud.tenant.io "web-ip" deleted/);
    expect((await owner.run(["get", "pip", "web-ip"])).stderr).toMatch(notFound);
  });
});
