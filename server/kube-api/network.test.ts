/**
 * The network kinds with the real kubectl: NetworkPolicy (the Kubernetes docs' "test-network-policy",
 * kubernetes.io/docs/concepts/services-networking/network-policies, without its `namespace: default`:
 * namespaces here are the tenant's), SecurityGroup (short name sg), the operator's PortBan blocklist
 * and the create-only ConnectivityCheck. Discovery and explain, apply twice (the second unchanged),
 * get/describe, a bad rule refused naming its field, PortBan writes for operators only, a check
 * answering "dropped" with the reason, and another tenant's objects NotFound. Skipped without kubectl.
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

const TEST_NETWORK_POLICY = `apiVersion: networking.k8s.io/v1
kind: NetworkPolicy
metadata:
  name: test-network-policy
spec:
  podSelector:
    matchLabels:
      role: db
  policyTypes:
    - Ingress
    - Egress
  ingress:
    - from:
        - ipBlock:
            cidr: 172.17.0.0/16
            except:
              - 172.17.1.0/24
        - namespaceSelector:
            matchLabels:
              project: myproject
        - podSelector:
            matchLabels:
              role: frontend
      ports:
        - protocol: TCP
          port: 6379
  egress:
    - to:
        - ipBlock:
            cidr: 10.0.0.0/24
      ports:
        - protocol: TCP
          port: 5978
`;

const WEB_SG = `apiVersion: cloud.tenant.io/v1
kind: SecurityGroup
metadata:
  name: web
spec:
  podSelector:
    matchLabels:
      app: web
  allowSameGroupTraffic: true
  ingressRules:
    - protocol: tcp
      portRangeMin: 443
      portRangeMax: 443
      remoteAddress: 0.0.0.0/0
      action: allow
      priority: 100
      description: https from anywhere
`;

const notFound = /NotFound|not found/;
const forbidden = /Forbidden|forbidden/;

describe.skipIf(!hasKubectl)("network kinds with kubectl", () => {
  it("discovery lists them with their short names; explain reads their schemas", async () => {
    const res = await owner.ok(["api-resources"]);
    expect(res).toMatch(/^networkpolicies\s+netpol\s+networking.k8s.io\/v1\s+true\s+NetworkPolicy/m);
    expect(res).toMatch(/^securitygroups\s+sg\s+cloud.tenant.io\/v1\s+false\s+SecurityGroup/m);
    expect(res).toMatch(/^portbans\s+pb\s+cloud.tenant.io\/v1\s+false\s+PortBan/m);
    expect(res).toMatch(/^connectivitychecks\s+cloud.tenant.io\/v1\s+true\s+ConnectivityCheck/m);
    const wide = await owner.ok(["api-resources", "--api-group=cloud.tenant.io", "-o", "wide"]);
    expect(wide).toMatch(/^connectivitychecks\s+cloud.tenant.io\/v1\s+true\s+ConnectivityCheck\s+create\s*$/m);
    expect(wide).toMatch(/^portbans\s+pb\s+.*\s+get,list,watch,create,update,patch,delete\s*$/m);

    const explained = await owner.ok(["explain", "networkpolicy.spec"]);
    expect(explained).toMatch(/GROUP:\s+networking.k8s.io/);
    expect(explained).toMatch(/FIELD:\s+spec <NetworkPolicySpec>/);
    expect(explained).toMatch(/podSelector\s+<LabelSelector>/);
    expect(explained).toMatch(/policyTypes\s+<\[\]string>/);
    expect(await owner.ok(["explain", "sg.spec.ingressRules.priority"])).toMatch(/lower is decided first/);
    expect(await owner.ok(["explain", "connectivitycheck.status.verdict"])).toMatch(/delivered/);
  });

  it("the docs' test-network-policy: apply, apply again unchanged, get, describe, isolated", async () => {
    const file = owner.file("netpol.yaml", TEST_NETWORK_POLICY);
    expect(await owner.ok(["apply", "-f", file])).toMatch(
      /networkpolicy.networking.k8s.io\/test-network-policy created/,
    );
    expect(await owner.ok(["apply", "-f", file])).toMatch(
      /networkpolicy.networking.k8s.io\/test-network-policy unchanged/,
    );
    expect(await owner.ok(["get", "netpol"])).toMatch(
      /^NAME\s+POD-SELECTOR\s+AGE\ntest-network-policy\s+role=db\s+\d+s/,
    );

    const stored = JSON.parse(await owner.ok(["get", "netpol", "test-network-policy", "-o", "json"]));
    expect(stored.spec.ingress[0].from).toHaveLength(3);
    expect(stored.spec.ingress[0].ports).toEqual([{ protocol: "TCP", port: 6379 }]);
    expect(stored.spec.egress[0].to).toEqual([{ ipBlock: { cidr: "10.0.0.0/24" } }]);

    const described = await owner.ok(["describe", "netpol", "test-network-policy"]);
    expect(described).toMatch(/Name:\s+test-network-policy/);
    expect(described).toMatch(/PodSelector:\s+role=db/);
    expect(described).toMatch(/To Port: 6379\/TCP/);
    expect(described).toMatch(/IPBlock:\s+\n?\s*CIDR: 172\.17\.0\.0\/16/);
    expect(described).toMatch(/Policy Types: Ingress, Egress/);

    // A strategic merge patch replaces the (atomic) ingress list whole, as upstream's.
    await owner.ok(["patch", "netpol", "test-network-policy", "-p", '{"spec":{"ingress":[{"ports":[{"port":80}]}]}}']);
    const patched = JSON.parse(await owner.ok(["get", "netpol", "test-network-policy", "-o", "json"]));
    expect(patched.spec.ingress).toHaveLength(1);
    expect(patched.spec.ingress[0].ports).toMatchObject([{ port: 80 }]);
    expect(patched.spec.ingress[0].from).toBeUndefined();
    expect(await owner.ok(["apply", "-f", file])).toMatch(/configured/);

    expect((await ownerB.run(["get", "netpol", "test-network-policy", "-n", ns])).stderr).toMatch(forbidden);
    expect((await ownerB.run(["get", "netpol", "test-network-policy"])).stderr).toMatch(notFound);
    expect((await viewer.run(["delete", "netpol", "test-network-policy"])).stderr).toMatch(forbidden);
    expect(await owner.ok(["delete", "netpol", "test-network-policy"])).toMatch(/deleted/);

    // Server-side apply, then a second apply of the same configuration changes nothing.
    const denyAll = {
      apiVersion: "networking.k8s.io/v1",
      kind: "NetworkPolicy",
      metadata: { name: "default-deny-ingress" },
      spec: { podSelector: {}, policyTypes: ["Ingress"] },
    };
    const ssa = owner.file("deny.json", denyAll);
    expect(await owner.ok(["apply", "--server-side", "-f", ssa])).toMatch(/default-deny-ingress serverside-applied/);
    const rv = await owner.ok(["get", "netpol", "default-deny-ingress", "-o", "jsonpath={.metadata.resourceVersion}"]);
    await owner.ok(["apply", "--server-side", "-f", ssa]);
    expect(
      await owner.ok(["get", "netpol", "default-deny-ingress", "-o", "jsonpath={.metadata.resourceVersion}"]),
    ).toBe(rv);
    expect(await owner.ok(["get", "netpol"])).toMatch(/default-deny-ingress\s+<none>\s+/);
    // It isolates every pod of the namespace for ingress: a check between two of them says so.
    const [from, to] = JSON.parse(await owner.ok(["get", "pods", "-l", "app=web", "-o", "json"])).items.map(
      (p: { metadata: { name: string } }) => p.metadata.name,
    );
    const check = {
      apiVersion: "cloud.tenant.io/v1",
      kind: "ConnectivityCheck",
      spec: { from: { pod: from }, to: { pod: to }, protocol: "tcp", port: 80 },
    };
    const answer = JSON.parse(await owner.ok(["create", "-f", owner.file("np-check.json", check), "-o", "json"]));
    expect(answer.status).toMatchObject({
      verdict: "dropped",
      reason: { code: "network-policy", policies: ["default-deny-ingress"] },
    });
    expect(answer.status.message).toMatch(/isolated for ingress by default-deny-ingress/);
    expect(await owner.ok(["delete", "netpol", "default-deny-ingress"])).toMatch(/deleted/);
  });

  it("a SecurityGroup: apply, get sg, describe, server-side apply; a bad rule is refused by its field", async () => {
    const file = owner.file("sg.yaml", WEB_SG);
    expect(await owner.ok(["apply", "-f", file])).toMatch(/securitygroup.cloud.tenant.io\/web created/);
    expect(await owner.ok(["apply", "-f", file])).toMatch(/securitygroup.cloud.tenant.io\/web unchanged/);
    expect(await owner.ok(["get", "sg"])).toMatch(/^NAME\s+INGRESS-RULES\s+EGRESS-RULES\s+AGE\nweb\s+1\s+1\s+\d+s/);
    const yaml = await owner.ok(["get", "sg", "web", "-o", "yaml"]);
    expect(yaml).toMatch(/description: 'default: allow all outbound'/);
    expect(yaml).toMatch(/attachedPods: 2/);
    expect(await owner.ok(["describe", "sg", "web"])).toMatch(/Name:\s+web/);

    const bad = {
      apiVersion: "cloud.tenant.io/v1",
      kind: "SecurityGroup",
      metadata: { name: "bad" },
      spec: {
        ingressRules: [
          {
            protocol: "tcp",
            portRangeMin: 22,
            portRangeMax: 22,
            action: "allow",
            priority: 0,
            remoteAddress: "0.0.0.0/0",
          },
        ],
      },
    };
    const refused = await owner.run(["apply", "-f", owner.file("bad-sg.json", bad)]);
    expect(refused.code).not.toBe(0);
    expect(refused.stderr).toMatch(/spec\.ingressRules\[0\]\.priority: Invalid value: 0: must be between 1 and 200/);
    // Every problem is its own cause, so kubectl names each field once.
    const twice = await owner.run([
      "apply",
      "-f",
      owner.file("bad-sg2.json", {
        ...bad,
        spec: { egressRules: [{ ...bad.spec.ingressRules[0], priority: 7, remoteAddress: "10.0.0.0/33" }] },
        metadata: { name: "Bad_Name" },
      }),
    ]);
    expect(twice.stderr).toMatch(
      /The SecurityGroup "Bad_Name" is invalid: \n\* metadata\.name: Invalid value: "Bad_Name"/,
    );
    expect(twice.stderr).toMatch(/\n\* spec\.egressRules\[0\]\.remoteAddress: Invalid value: "10\.0\.0\.0\/33"/);
    expect((await owner.run(["get", "sg", "bad"])).stderr).toMatch(notFound);

    const ssa = {
      ...bad,
      metadata: { name: "db" },
      spec: { ingressRules: [{ ...bad.spec.ingressRules[0], priority: 10 }] },
    };
    expect(await owner.ok(["apply", "--server-side", "-f", owner.file("db-sg.json", ssa)])).toMatch(
      /securitygroup.cloud.tenant.io\/db serverside-applied/,
    );

    expect((await ownerB.run(["get", "sg", "web"])).stderr).toMatch(notFound);
    expect(await ownerB.ok(["get", "sg", "-o", "name"])).toBe("");
    expect((await viewer.run(["delete", "sg", "web"])).stderr).toMatch(forbidden);
    expect(await owner.ok(["delete", "sg", "web", "db"])).toMatch(/"web" deleted/);
  });

  it("PortBan: tenants read, only operators write; a ConnectivityCheck answers dropped with the reason", async () => {
    const ban = {
      apiVersion: "cloud.tenant.io/v1",
      kind: "PortBan",
      metadata: { name: "smtp-out" },
      spec: { protocol: "tcp", portRangeMin: 25, portRangeMax: 25, reason: "outbound SMTP is banned against spam" },
    };
    const banFile = owner.file("ban.json", ban);
    expect((await owner.run(["create", "-f", banFile])).stderr).toMatch(
      /Forbidden.*port bans are the operator's cluster-wide blocklist/,
    );
    expect(
      await owner.ok(["auth", "can-i", "create", "portbans.cloud.tenant.io"]).catch((e: Error) => e.message),
    ).toMatch(/no/);
    expect(await operator.ok(["create", "-f", banFile])).toMatch(/portban.cloud.tenant.io\/smtp-out created/);
    expect(await owner.ok(["get", "portbans"])).toMatch(/smtp-out\s+tcp\s+25\s+all/);
    expect(await ownerB.ok(["get", "pb", "smtp-out", "-o", "jsonpath={.spec.reason}"])).toBe(
      "outbound SMTP is banned against spam",
    );
    expect(await operator.ok(["auth", "can-i", "create", "portbans.cloud.tenant.io"])).toMatch(/yes/);
    expect(await viewer.ok(["auth", "can-i", "create", "connectivitychecks.cloud.tenant.io"])).toMatch(/yes/);
    expect((await owner.run(["delete", "portban", "smtp-out"])).stderr).toMatch(forbidden);

    const pods = JSON.parse(await owner.ok(["get", "pods", "-l", "app=web", "-o", "json"])).items as {
      metadata: { name: string };
    }[];
    expect(pods).toHaveLength(2);
    const [a, b] = pods.map((p) => p.metadata.name);
    const check = (port: number) => ({
      apiVersion: "cloud.tenant.io/v1",
      kind: "ConnectivityCheck",
      spec: { from: { pod: a }, to: { pod: b }, protocol: "tcp", port },
    });
    const dropped = JSON.parse(await owner.ok(["create", "-f", owner.file("check-25.json", check(25)), "-o", "json"]));
    expect(dropped.status.verdict).toBe("dropped");
    expect(dropped.status.reason).toMatchObject({ code: "port-blocked", entryId: "smtp-out", port: 25 });
    expect(dropped.status.message).toMatch(/outbound SMTP is banned against spam/);
    expect(dropped.status.trace.find((s: { stage: string }) => s.stage === "blocklist").outcome).toBe("dropped");
    const delivered = await owner.ok(["create", "-f", owner.file("check-80.json", check(80)), "-o", "yaml"]);
    expect(delivered).toMatch(/verdict: delivered/);
    expect(delivered).toMatch(/path: private/);

    // A viewer may ask; another tenant's pods are NotFound; a malformed check names its field.
    expect(
      await viewer.ok(["create", "-f", owner.file("check-v.json", check(80)), "-o", "jsonpath={.status.verdict}"]),
    ).toBe("delivered");
    const foreign = await ownerB.run(["create", "-f", owner.file("check-b.json", check(80))]);
    expect(foreign.stderr).toMatch(notFound);
    const malformed = await owner.run([
      "create",
      "-f",
      owner.file("check-bad.json", { ...check(80), spec: { from: { pod: a }, to: { pod: b }, protocol: "sctp" } }),
    ]);
    expect(malformed.stderr).toMatch(/spec\.protocol: Unsupported value: "sctp"/);
    // An operator checks in the namespace's tenant.
    expect(
      await operator.ok([
        "create",
        "-f",
        owner.file("check-op.json", check(25)),
        "-o",
        "jsonpath={.status.reason.code}",
      ]),
    ).toBe("port-blocked");

    // The operator changes the ban in place with apply (a tenant may not); the check reads the new entry.
    const widened = { ...ban, spec: { ...ban.spec, portRangeMax: 26, reason: "SMTP and 26 are banned" } };
    const widenedFile = owner.file("ban-widened.json", widened);
    expect((await owner.run(["apply", "-f", widenedFile])).stderr).toMatch(forbidden);
    expect(await operator.ok(["apply", "-f", widenedFile])).toMatch(/portban.cloud.tenant.io\/smtp-out configured/);
    expect(await operator.ok(["apply", "-f", widenedFile])).toMatch(/portban.cloud.tenant.io\/smtp-out unchanged/);
    expect(await owner.ok(["get", "pb", "smtp-out", "-o", "jsonpath={.spec.portRangeMax} {.spec.reason}"])).toBe(
      "26 SMTP and 26 are banned",
    );
    const at26 = JSON.parse(await owner.ok(["create", "-f", owner.file("check-26.json", check(26)), "-o", "json"]));
    expect(at26.status.message).toMatch(/SMTP and 26 are banned/);

    expect(await operator.ok(["delete", "portban", "smtp-out"])).toMatch(/deleted/);
  });
});
