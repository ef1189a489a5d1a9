import { describe, expect, it } from "vitest";
import { findKindByResource, kindDefinition, toKubernetes } from "../kinds/registry";
import { type Harness, livePods, startHarness, webDeployment } from "../test-kit";
import { createEngine, type Engine } from "./engine";
import type { PortBan } from "../kinds/port-ban";
import type { SecurityGroupObjectInput } from "../kinds/security-group";
import type { ConnectivityCheckInput } from "./network-types";

const A = "tenant-a";
const B = "tenant-b";

const app = (name: string, replicas: number, port?: { name: string; containerPort: number }) =>
  webDeployment(name, replicas, "nginx:1.27", {
    template: {
      labels: { app: name },
      spec: {
        containers: [
          {
            name: "app",
            image: "nginx:1.27",
            resources: { requests: { cpu: "100m", memory: "64Mi" } },
            ...(port ? { ports: [{ ...port, protocol: "TCP" as const }] } : {}),
          },
        ],
      },
    },
  });

async function world(): Promise<Harness> {
  const h = await startHarness();
  await h.engine.ensureTenantNamespace(A, "acme");
  await h.engine.ensureTenantNamespace(B, "bravo");
  for (const t of [A, B])
    await h.engine.createNodePool(t, { name: "pool", machineType: "8c16g", minSize: 1, maxSize: 1 });
  await h.engine.createDeployment(A, app("web", 1, { name: "http", containerPort: 80 }));
  await h.engine.createDeployment(A, app("client", 1));
  // Tenant B has more pods than A, so some of its addresses are held by nobody in A.
  await h.engine.createDeployment(B, app("web", 4, { name: "http", containerPort: 80 }));
  await h.engine.settle();
  return h;
}

const podOf = (e: Engine, tenant: string, deployment: string) => {
  const pod = livePods(e, tenant, deployment).find((p) => p.podIP !== undefined);
  if (!pod) throw new Error(`no addressed pod of ${deployment}`);
  return pod;
};

function check(
  h: Harness,
  to: ConnectivityCheckInput["to"] | "web",
  protocol: ConnectivityCheckInput["protocol"] = "tcp",
  port: number | undefined = 80,
  from: Partial<ConnectivityCheckInput["from"]> = {},
) {
  const e = h.engine;
  const target = to === "web" ? { pod: podOf(e, A, "web").name } : to;
  return e.checkConnectivity(A, {
    from: { pod: podOf(e, A, "client").name, ...from },
    to: target,
    protocol,
    ...(port !== undefined ? { port } : {}),
  });
}

type GroupSpec = NonNullable<SecurityGroupObjectInput["spec"]>;
type RuleInput = NonNullable<GroupSpec["ingressRules"]>[number];
const rule = (extra: Partial<RuleInput>): RuleInput => ({ protocol: "tcp", action: "allow", priority: 100, ...extra });
const webGroup = (ingressRules: RuleInput[], extra: Partial<GroupSpec> = {}): SecurityGroupObjectInput => ({
  name: "web-sg",
  spec: { podSelector: { matchLabels: { app: "web" } }, ingressRules, ...extra },
});

describe("tenant network", () => {
  it("shows the VPC, its default subnet with address use, the service range and the DNS suffix", async () => {
    const h = await world();
    const net = h.engine.getTenantNetwork(A);
    expect(net).toMatchObject({
      vpc: { name: "default", cidr: "10.0.0.0/16" },
      serviceCidr: "10.96.0.0/16",
      dnsSuffix: "svc.cluster.local",
    });
    const [subnet] = net.subnets;
    expect(subnet).toMatchObject({ name: "default", cidr: "10.0.0.0/18", gateway: "10.0.0.1", namespaces: ["acme"] });
    expect(subnet?.used).toBe(2);
    expect(subnet?.held).toBe(0);
    expect((subnet?.used ?? 0) + (subnet?.free ?? 0) + (subnet?.held ?? 0)).toBe(subnet?.total);
    expect(h.engine.getTenantNetwork(B).subnets[0]?.used).toBe(4);

    // A deleted pod's address is held before reuse.
    await h.engine.deletePod(A, podOf(h.engine, A, "client").name, { gracePeriodSeconds: 0 });
    await h.engine.settle();
    const after = h.engine.getTenantNetwork(A).subnets[0];
    expect(after?.held).toBe(1);
  });
});

describe("connectivity check", () => {
  it("delivers between pods without groups or policies, with every stage in the trace", async () => {
    const h = await world();
    const r = check(h, "web");
    expect(r).toMatchObject({ verdict: "delivered", path: "private" });
    expect(r.trace.map((s) => s.stage)).toEqual([
      "anti-spoofing",
      "route",
      "blocklist",
      "egress-groups",
      "egress-policy",
      "ddos",
      "ingress-policy",
      "ingress-groups",
    ]);
    expect(r.source.ip).toBe(podOf(h.engine, A, "client").podIP);
    expect(r.destination).toMatchObject({ ip: podOf(h.engine, A, "web").podIP, pod: podOf(h.engine, A, "web").name });
  });

  it("applies every rule type of a group, denying what no rule allows", async () => {
    const h = await world();
    const client = podOf(h.engine, A, "client").podIP as string;
    await h.engine.createSecurityGroup(
      A,
      webGroup([
        rule({ portRangeMin: 80, portRangeMax: 80, remoteAddress: "10.0.0.0/16" }),
        rule({ protocol: "udp", portRangeMin: 5000, portRangeMax: 5010, remoteAddress: client }),
        rule({ protocol: "icmp", remoteAddress: `${client}/32` }),
      ]),
    );
    await h.engine.settle();
    expect(check(h, "web").verdict).toBe("delivered");
    expect(check(h, "web", "udp", 5005).verdict).toBe("delivered");
    expect(check(h, "web", "icmp", undefined).verdict).toBe("delivered");
    const denied = check(h, "web", "tcp", 81);
    expect(denied).toMatchObject({ verdict: "dropped", reason: { code: "ingress-denied", groups: ["web-sg"] } });
    expect(denied.trace.at(-1)).toMatchObject({ stage: "ingress-groups", outcome: "dropped" });
    expect(check(h, "web", "udp", 5011).reason?.code).toBe("ingress-denied");

    // A remote group: only its members' addresses match; protocol all covers tcp.
    await h.engine.createSecurityGroup(A, {
      name: "clients",
      spec: { podSelector: { matchLabels: { app: "client" } } },
    });
    await h.engine.replaceSecurityGroup(A, webGroup([rule({ protocol: "all", remoteSecurityGroup: "clients" })]));
    await h.engine.settle();
    expect(check(h, "web", "tcp", 9999).verdict).toBe("delivered");
    await h.engine.replaceSecurityGroup(A, {
      name: "clients",
      spec: { podSelector: { matchLabels: { app: "nobody" } } },
    });
    await h.engine.settle();
    expect(check(h, "web", "tcp", 9999).reason?.code).toBe("ingress-denied");
  });

  it("names the groups that apply to a pod, for its page; another tenant's pod is NOT_FOUND", async () => {
    const h = await world();
    const web = podOf(h.engine, A, "web");
    const client = podOf(h.engine, A, "client");
    expect(h.engine.podSecurityGroups(A, web.name, { namespace: "acme" })).toEqual({ groups: [] });
    await h.engine.createSecurityGroup(A, webGroup([]));
    await h.engine.createSecurityGroup(A, { name: "all-acme", spec: { defaultForNamespaces: ["acme"] } });
    // A group selecting the pod replaces the namespace default (AWS's SecurityGroupPolicy).
    expect(h.engine.podSecurityGroups(A, web.name, { namespace: "acme" })).toEqual({ groups: ["web-sg"] });
    expect(h.engine.podSecurityGroups(A, client.name, { namespace: "acme" })).toEqual({ groups: ["all-acme"] });
    const foreign = podOf(h.engine, B, "web");
    expect(() => h.engine.podSecurityGroups(A, foreign.name, { namespace: "bravo" })).toThrow(/not found/);
  });

  it("orders rules by priority, deny before allow at equal priority", async () => {
    const h = await world();
    const any = { remoteAddress: "0.0.0.0/0" };
    const cases: [RuleInput[], "delivered" | "dropped"][] = [
      [[rule({ ...any, action: "deny", priority: 10 }), rule({ ...any, priority: 20 })], "dropped"],
      [[rule({ ...any, action: "deny", priority: 10 }), rule({ ...any, priority: 5 })], "delivered"],
      [[rule({ ...any, priority: 10 }), rule({ ...any, action: "deny", priority: 10 })], "dropped"],
    ];
    await h.engine.createSecurityGroup(A, webGroup([]));
    for (const [rules, verdict] of cases) {
      await h.engine.replaceSecurityGroup(A, webGroup(rules));
      await h.engine.settle();
      expect(check(h, "web").verdict).toBe(verdict);
    }
    const deciding = check(h, "web").reason;
    expect(deciding).toMatchObject({ code: "ingress-denied", group: "web-sg", ruleIndex: 1 });
  });

  it("allows same-group traffic after every explicit rule, so an explicit deny still wins", async () => {
    const h = await world();
    const mesh = (ingressRules: RuleInput[]): SecurityGroupObjectInput => ({
      name: "mesh",
      spec: {
        podSelector: { matchExpressions: [{ key: "app", operator: "In", values: ["web", "client"] }] },
        allowSameGroupTraffic: true,
        ingressRules,
      },
    });
    await h.engine.createSecurityGroup(A, mesh([]));
    await h.engine.settle();
    expect(check(h, "web").verdict).toBe("delivered");
    await h.engine.replaceSecurityGroup(A, mesh([rule({ action: "deny", remoteAddress: "0.0.0.0/0", priority: 200 })]));
    await h.engine.settle();
    expect(check(h, "web").reason).toMatchObject({ code: "ingress-denied", group: "mesh" });
    expect(h.engine.getSecurityGroup(A, "mesh").status).toEqual({ attachedPods: 2 });
  });

  it("gives a group without egress rules AWS's allow-all egress, and `egressRules: []` denies egress", async () => {
    const h = await world();
    const clients = (extra: Partial<GroupSpec>): SecurityGroupObjectInput => ({
      name: "clients",
      spec: { podSelector: { matchLabels: { app: "client" } }, ...extra },
    });
    const created = await h.engine.createSecurityGroup(A, clients({}));
    expect(created.spec.egressRules).toEqual([
      {
        protocol: "all",
        remoteAddress: "0.0.0.0/0",
        action: "allow",
        priority: 200,
        description: "default: allow all outbound",
      },
    ]);
    await h.engine.settle();
    expect(check(h, "web").verdict).toBe("delivered");
    await h.engine.replaceSecurityGroup(A, clients({ egressRules: [] }));
    await h.engine.settle();
    const r = check(h, "web");
    expect(r.reason).toMatchObject({ code: "egress-denied", groups: ["clients"] });
    expect(r.trace.at(-1)?.stage).toBe("egress-groups");
  });

  it("drops what the operator's blocklist bans, before any tenant rule, and tenants can read the bans", async () => {
    const h = await world();
    await h.engine.createSecurityGroup(A, webGroup([rule({ remoteAddress: "0.0.0.0/0" })]));
    const ban = await h.engine.addPortBan({
      name: "smtp",
      spec: { protocol: "tcp", portRangeMin: 80, reason: "mail is banned" },
    });
    expect(ban.spec).toEqual({ protocol: "tcp", portRangeMin: 80, portRangeMax: 80, reason: "mail is banned" });
    await h.engine.settle();
    expect(check(h, "web").reason).toMatchObject({ code: "port-blocked", entryId: "smtp", reason: "mail is banned" });
    expect(h.engine.listPortBans().map((b) => b.name)).toEqual(["smtp"]);

    // Scope public: flows inside the tenant's network pass.
    await h.engine.removePortBan("smtp");
    await h.engine.addPortBan({
      name: "smtp-out",
      spec: { protocol: "tcp", portRangeMin: 25, portRangeMax: 80, scope: "public", reason: "outbound mail" },
    });
    await h.engine.settle();
    expect(check(h, "web").verdict).toBe("delivered");

    await expect(
      h.engine.addPortBan({ name: "bad", spec: { protocol: "tcp", portRangeMin: 90, portRangeMax: 80, reason: "x" } }),
    ).rejects.toMatchObject({
      code: "INVALID",
      detail: { field: "spec.portRangeMax" },
      message: expect.stringContaining("spec.portRangeMax: Invalid value: 80"),
    });
    await expect(
      h.engine.addPortBan({ name: "smtp-out", spec: { protocol: "tcp", portRangeMin: 1, reason: "x" } }),
    ).rejects.toMatchObject({ code: "CONFLICT" });
    await expect(h.engine.removePortBan("none")).rejects.toMatchObject({ code: "NOT_FOUND" });

    // Replaced in place at its version: the flow decision follows; a stale version changes nothing.
    const current = h.engine.listPortBans()[0] as PortBan;
    const widened = await h.engine.replacePortBan({
      name: "smtp-out",
      spec: { protocol: "tcp", portRangeMin: 25, portRangeMax: 80, reason: "all mail" },
      resourceVersion: current.resourceVersion,
    });
    expect(widened).toMatchObject({ generation: 2, spec: { reason: "all mail" } });
    await h.engine.settle();
    expect(check(h, "web").reason).toMatchObject({ code: "port-blocked", entryId: "smtp-out", reason: "all mail" });
    await expect(
      h.engine.replacePortBan({
        name: "smtp-out",
        spec: { protocol: "udp", portRangeMin: 25, reason: "stale" },
        resourceVersion: current.resourceVersion,
      }),
    ).rejects.toMatchObject({ code: "CONFLICT" });
    await expect(
      h.engine.replacePortBan({ name: "smtp-out", spec: { protocol: "tcp", portRangeMin: 0, reason: "x" } }),
    ).rejects.toMatchObject({ code: "INVALID" });
    await expect(
      h.engine.removePortBan("smtp-out", { resourceVersion: current.resourceVersion }),
    ).rejects.toMatchObject({ code: "CONFLICT" });
    await h.engine.removePortBan("smtp-out", { resourceVersion: widened.resourceVersion });
    expect(h.engine.listPortBans()).toEqual([]);
  });

  it("enforces NetworkPolicy: isolation by selecting policies, additive allows, named ports, egress", async () => {
    const h = await world();
    const denyAll = await h.engine.createNetworkPolicy(A, { name: "deny-all", spec: { podSelector: {} } });
    expect(denyAll.spec).toEqual({ podSelector: {}, policyTypes: ["Ingress"] });
    await h.engine.settle();
    expect(check(h, "web").reason).toMatchObject({
      code: "network-policy",
      direction: "ingress",
      policies: ["deny-all"],
    });

    await h.engine.createNetworkPolicy(A, {
      name: "web-from-client",
      spec: {
        podSelector: { matchLabels: { app: "web" } },
        ingress: [{ from: [{ podSelector: { matchLabels: { app: "client" } } }], ports: [{ port: "http" }] }],
      },
    });
    await h.engine.settle();
    expect(check(h, "web").verdict).toBe("delivered");
    expect(check(h, "web", "tcp", 81).reason?.code).toBe("network-policy");

    await h.engine.createNetworkPolicy(A, {
      name: "client-egress",
      spec: { podSelector: { matchLabels: { app: "client" } }, policyTypes: ["Egress"], egress: [] },
    });
    await h.engine.settle();
    expect(check(h, "web").reason).toMatchObject({ code: "network-policy", direction: "egress" });
    await h.engine.deleteNetworkPolicy(A, "client-egress");
    await h.engine.settle();
    expect(check(h, "web").verdict).toBe("delivered");

    await expect(
      h.engine.createNetworkPolicy(A, {
        name: "bad",
        spec: { podSelector: {}, ingress: [{ ports: [{ port: 80, endPort: 70 }] }] },
      }),
    ).rejects.toMatchObject({ code: "INVALID", detail: { field: "spec.ingress[0].ports[0].endPort" } });
    expect(h.engine.listNetworkPolicies(A).items.map((p) => p.name)).toEqual(["deny-all", "web-from-client"]);
  });

  it("drops a forged source address at the pod's port (anti-spoofing)", async () => {
    const h = await world();
    const forgedIp = check(h, "web", "tcp", 80, { sourceIp: "10.0.9.9" });
    expect(forgedIp).toMatchObject({
      verdict: "dropped",
      reason: { code: "spoofed-source-ip", claimedIp: "10.0.9.9" },
    });
    expect(forgedIp.trace).toHaveLength(1);
    const forgedMac = check(h, "web", "tcp", 80, { sourceMac: "0a:58:0a:00:ff:ff" });
    expect(forgedMac.reason?.code).toBe("spoofed-source-mac");
    expect(() => check(h, "web", "tcp", 80, { sourceIp: "nope" })).toThrow(
      expect.objectContaining({ code: "INVALID", detail: expect.objectContaining({ field: "from.sourceIp" }) }),
    );
  });

  it("resolves a Service through the forwarding table to one endpoint, and checks its target port", async () => {
    const h = await world();
    await h.engine.createService(A, {
      name: "web",
      spec: { selector: { app: "web" }, ports: [{ port: 8080, targetPort: 80 }] },
    });
    await h.engine.createService(A, { name: "empty", spec: { selector: { app: "none" }, ports: [{ port: 80 }] } });
    await h.engine.settle();
    const web = podOf(h.engine, A, "web");
    const r = check(h, { service: "web" }, "tcp", 8080);
    expect(r).toMatchObject({
      verdict: "delivered",
      destination: { ip: web.podIP, pod: web.name, service: "acme/web" },
    });
    // The endpoint's own filters apply on the target port.
    await h.engine.createSecurityGroup(
      A,
      webGroup([rule({ portRangeMin: 8080, portRangeMax: 8080, remoteAddress: "0.0.0.0/0" })]),
    );
    await h.engine.settle();
    expect(check(h, { service: "web" }, "tcp", 8080).reason).toMatchObject({ code: "ingress-denied", port: 80 });

    expect(check(h, { service: "empty" }, "tcp", 80)).toMatchObject({
      verdict: "dropped",
      reason: { code: "no-route", cause: "no-ready-endpoints", service: "acme/empty" },
    });
    expect(() => check(h, { service: "web" }, "tcp", 80)).toThrow(
      expect.objectContaining({ code: "INVALID", detail: expect.objectContaining({ field: "port" }) }),
    );
    expect(() => check(h, { service: "web" }, "icmp", undefined)).toThrow(expect.objectContaining({ code: "INVALID" }));
  });

  it("refuses bad input with its field", async () => {
    const h = await world();
    const field = (f: string) =>
      expect.objectContaining({ code: "INVALID", detail: expect.objectContaining({ field: f }) });
    const from = { pod: podOf(h.engine, A, "client").name };
    const to = { pod: podOf(h.engine, A, "web").name };
    expect(() => h.engine.checkConnectivity(A, { from, to, protocol: "tcp" })).toThrow(field("port"));
    expect(() => check(h, "web", "tcp", 70000)).toThrow(field("port"));
    expect(() => check(h, "web", "sctp" as "tcp", 80)).toThrow(field("protocol"));
    expect(() => check(h, { address: "10.0.0.300" })).toThrow(field("to.address"));
  });

  it("keeps tenants apart: another tenant's pods and services are NOT_FOUND, its addresses reach nobody", async () => {
    const h = await world();
    const theirs = podOf(h.engine, B, "web");
    await h.engine.createService(B, { name: "theirs", spec: { selector: { app: "web" }, ports: [{ port: 80 }] } });
    await h.engine.settle();
    expect(() => check(h, { pod: theirs.name })).toThrow(expect.objectContaining({ code: "NOT_FOUND" }));
    expect(() => check(h, { pod: theirs.name, namespace: "bravo" })).toThrow(
      expect.objectContaining({ code: "NOT_FOUND" }),
    );
    expect(() => check(h, { service: "theirs", namespace: "bravo" })).toThrow(
      expect.objectContaining({ code: "NOT_FOUND" }),
    );
    expect(() => check(h, { service: "theirs" })).toThrow(expect.objectContaining({ code: "NOT_FOUND" }));

    // Overlapping ranges: an address only B uses is nobody in A; one both use is A's own pod.
    const mine = new Set(livePods(h.engine, A).map((p) => p.podIP));
    const onlyB = livePods(h.engine, B).find((p) => p.podIP && !mine.has(p.podIP));
    const both = livePods(h.engine, B).find((p) => p.podIP && mine.has(p.podIP));
    if (!onlyB || !both) throw new Error("the world has no overlapping and no disjoint address");
    expect(check(h, { address: onlyB.podIP as string }).reason).toMatchObject({
      code: "no-route",
      cause: "no-port-at-address",
    });
    const same = check(h, { address: both.podIP as string });
    expect(livePods(h.engine, A).map((p) => p.name)).toContain(same.destination.pod);

    // Groups and policies are the tenant's own.
    await h.engine.createSecurityGroup(A, webGroup([]));
    await h.engine.createNetworkPolicy(A, { name: "deny-all", spec: { podSelector: {} } });
    expect(() => h.engine.getSecurityGroup(B, "web-sg")).toThrow(expect.objectContaining({ code: "NOT_FOUND" }));
    expect(() => h.engine.getNetworkPolicy(B, "deny-all", { namespace: "acme" })).toThrow(
      expect.objectContaining({ code: "NOT_FOUND" }),
    );
    expect(h.engine.listSecurityGroups(B).items).toEqual([]);
    expect(h.engine.listNetworkPolicies(B).items).toEqual([]);
    await h.engine.settle();
    // B's web is not filtered by A's group or policy.
    const bClient = podOf(h.engine, B, "web");
    const bTarget = livePods(h.engine, B, "web").find((p) => p.name !== bClient.name);
    expect(
      h.engine.checkConnectivity(B, {
        from: { pod: bClient.name },
        to: { pod: bTarget?.name ?? "" },
        protocol: "tcp",
        port: 81,
      }).verdict,
    ).toBe("delivered");
  });

  it("answers within 50 ms", async () => {
    const h = await world();
    await h.engine.createSecurityGroup(A, webGroup([rule({ remoteAddress: "0.0.0.0/0" })]));
    await h.engine.createNetworkPolicy(A, { name: "deny-all", spec: { podSelector: {} } });
    await h.engine.settle();
    check(h, "web");
    const started = performance.now();
    for (let i = 0; i < 100; i++) check(h, "web", "tcp", 80 + (i % 3));
    expect((performance.now() - started) / 100).toBeLessThan(50);
  });
});

describe("security groups", () => {
  it("validate with field paths and the per-group rule limit", async () => {
    const h = await world();
    await expect(
      h.engine.createSecurityGroup(A, webGroup([rule({ remoteAddress: "0.0.0.0/0", priority: 0 })])),
    ).rejects.toMatchObject({
      code: "INVALID",
      detail: { field: "spec.ingressRules[0].priority" },
      message: expect.stringContaining('SecurityGroup.cloud.tenant.io "web-sg" is invalid'),
    });
    const many = Array.from({ length: 61 }, (_, i) =>
      rule({ portRangeMin: i + 1, portRangeMax: i + 1, remoteAddress: "0.0.0.0/0" }),
    );
    await expect(h.engine.createSecurityGroup(A, webGroup(many))).rejects.toMatchObject({
      code: "INVALID",
      detail: { field: "spec.ingressRules" },
    });
    await expect(
      h.engine.createSecurityGroup(A, webGroup([rule({ remoteSecurityGroup: "missing" })])),
    ).rejects.toMatchObject({ code: "INVALID" });
    await expect(h.engine.createSecurityGroup(A, { name: "x", spec: { bogus: 1 } as never })).rejects.toMatchObject({
      code: "INVALID",
    });
  });

  it("follow the operator's limits when raised within AWS's bound, and refuse a start beyond it", async () => {
    const raised = await startHarness({
      config: { securityLimits: { rulesPerGroup: 100, groupsPerPod: 10, rulesPerPod: 1000 } },
    });
    await raised.engine.ensureTenantNamespace(A, "acme");
    const many = (n: number) =>
      Array.from({ length: n }, (_, i) =>
        rule({ portRangeMin: i + 1, portRangeMax: i + 1, remoteAddress: "0.0.0.0/0" }),
      );
    await raised.engine.createSecurityGroup(A, webGroup(many(100)));
    await expect(
      raised.engine.createSecurityGroup(A, { ...webGroup(many(101)), name: "too-many" }),
    ).rejects.toMatchObject({ code: "INVALID", detail: { field: "spec.ingressRules" } });
    const h = await world();
    expect(() =>
      createEngine({
        store: h.store,
        clock: h.clock,
        config: { securityLimits: { rulesPerGroup: 200, groupsPerPod: 10, rulesPerPod: 1000 } },
      }),
    ).toThrow(/securityLimits: rulesPerGroup × groupsPerPod/);
  });

  it("refuse a sixth group on a running pod, and keep a pod with too many groups Pending until one goes", async () => {
    const h = await world();
    const selecting = (name: string, labels: Record<string, string>) => ({
      name,
      spec: { podSelector: { matchLabels: labels } },
    });
    for (let i = 1; i <= 5; i++) await h.engine.createSecurityGroup(A, selecting(`g${i}`, { app: "web" }));
    await expect(h.engine.createSecurityGroup(A, selecting("g6", { app: "web" }))).rejects.toMatchObject({
      code: "INVALID",
      detail: { field: "spec.podSelector" },
      message: expect.stringContaining("at most 5 may apply to a pod"),
    });

    // Six groups for pods not started yet: accepted; the pod is kept Pending with the reason.
    for (let i = 1; i <= 6; i++) await h.engine.createSecurityGroup(A, selecting(`h${i}`, { app: "huge" }));
    await h.engine.createDeployment(A, app("huge", 1));
    await h.engine.settle();
    const [pending] = livePods(h.engine, A, "huge");
    expect(pending?.status.phase).toBe("Pending");
    expect(pending?.podIP).toBeUndefined();
    const events = h.engine.listEvents(A, { objectKind: "Pod", objectName: pending?.name }).items;
    expect(events.some((e) => e.reason === "FailedScheduling" && e.message.includes("at most 5"))).toBe(true);

    await h.engine.deleteSecurityGroup(A, "h6");
    await h.engine.settle();
    const [started] = livePods(h.engine, A, "huge");
    expect(started?.podIP).toBeDefined();
    expect(h.engine.getSecurityGroup(A, "h1").status).toEqual({ attachedPods: 1 });
  });

  it("take resourceVersion preconditions, refuse a taken name, and refuse deleting a referenced group", async () => {
    const h = await world();
    const first = await h.engine.createSecurityGroup(A, webGroup([]));
    await expect(h.engine.createSecurityGroup(A, webGroup([]))).rejects.toMatchObject({
      code: "CONFLICT",
      message: 'securitygroups.cloud.tenant.io "web-sg" already exists',
    });
    const second = await h.engine.replaceSecurityGroup(A, {
      ...webGroup([rule({ remoteAddress: "10.0.0.0/8" })]),
      resourceVersion: first.resourceVersion,
    });
    expect(second.generation).toBe(2);
    await expect(
      h.engine.replaceSecurityGroup(A, { ...webGroup([]), resourceVersion: first.resourceVersion }),
    ).rejects.toMatchObject({ code: "CONFLICT" });
    await expect(
      h.engine.deleteSecurityGroup(A, "web-sg", { resourceVersion: first.resourceVersion }),
    ).rejects.toMatchObject({
      code: "CONFLICT",
    });
    await h.engine.createSecurityGroup(A, {
      name: "db",
      spec: { ingressRules: [rule({ remoteSecurityGroup: "web-sg" })] },
    });
    await expect(h.engine.deleteSecurityGroup(A, "web-sg")).rejects.toMatchObject({
      code: "CONFLICT",
      message: expect.stringContaining('security group "db"'),
    });
    await h.engine.deleteSecurityGroup(A, "db");
    await h.engine.deleteSecurityGroup(A, "web-sg", { resourceVersion: second.resourceVersion });
    expect(h.engine.listSecurityGroups(A).items).toEqual([]);
  });

  it("change nothing on a dry run", async () => {
    const h = await world();
    const dry = await h.engine.createSecurityGroup(A, webGroup([]), { dryRun: true });
    expect(dry.resourceVersion).toBe(0);
    await h.engine.createNetworkPolicy(A, { name: "deny-all", spec: { podSelector: {} } }, { dryRun: true });
    await h.engine.addPortBan(
      { name: "all", spec: { protocol: "tcp", portRangeMin: 1, portRangeMax: 65535, reason: "x" } },
      { dryRun: true },
    );
    await h.engine.settle();
    expect(h.engine.listSecurityGroups(A).items).toEqual([]);
    expect(h.engine.listNetworkPolicies(A).items).toEqual([]);
    expect(h.engine.listPortBans()).toEqual([]);
    expect(check(h, "web").verdict).toBe("delivered");

    await h.engine.createSecurityGroup(A, webGroup([]));
    await h.engine.deleteSecurityGroup(A, "web-sg", { dryRun: true });
    await h.engine.removePortBan("none", { dryRun: true }).catch(() => undefined);
    await h.engine.settle();
    expect(h.engine.getSecurityGroup(A, "web-sg").name).toBe("web-sg");
    expect(check(h, "web").reason?.code).toBe("ingress-denied");
  });

  it("survive a restart with the same verdicts", async () => {
    const h = await world();
    await h.engine.createSecurityGroup(
      A,
      webGroup([rule({ portRangeMin: 80, portRangeMax: 80, remoteAddress: "0.0.0.0/0" })]),
    );
    await h.engine.createNetworkPolicy(A, {
      name: "web-ingress",
      spec: { podSelector: { matchLabels: { app: "web" } }, ingress: [{ ports: [{ port: 80 }, { port: 81 }] }] },
    });
    await h.engine.addPortBan({ name: "ssh", spec: { protocol: "tcp", portRangeMin: 22, reason: "no ssh" } });
    await h.engine.settle();
    const before = [80, 81, 82, 22].map((p) => check(h, "web", "tcp", p).reason?.code ?? "delivered");
    expect(before).toEqual(["delivered", "ingress-denied", "network-policy", "port-blocked"]);
    await h.engine.stop();

    const engine = createEngine({ store: h.store, clock: h.clock });
    await engine.start();
    await engine.settle();
    const again = { ...h, engine };
    expect([80, 81, 82, 22].map((p) => check(again, "web", "tcp", p).reason?.code ?? "delivered")).toEqual(before);
    expect(engine.getSecurityGroup(A, "web-sg").status).toEqual({ attachedPods: 1 });
    expect(engine.listPortBans().map((b) => b.name)).toEqual(["ssh"]);
    await engine.stop();
  });

  it("go with their namespace (policies) and convert to Kubernetes' shape with kubectl's columns", async () => {
    const h = await world();
    await h.engine.createNamespace(A, { name: "shop" });
    const policy = await h.engine.createNetworkPolicy(A, {
      name: "p",
      namespace: "shop",
      spec: {
        podSelector: {
          matchLabels: { app: "web" },
          matchExpressions: [{ key: "tier", operator: "NotIn", values: ["b", "a"] }],
        },
      },
    });
    const group = await h.engine.createSecurityGroup(A, webGroup([rule({ remoteAddress: "10.0.0.0/16" })]));
    const ban = await h.engine.addPortBan({
      name: "smtp",
      spec: { protocol: "tcp", portRangeMin: 25, reason: "spam" },
    });

    expect(findKindByResource("netpol")?.kind).toBe("NetworkPolicy");
    expect(findKindByResource("networkpolicies.networking.k8s.io")?.kind).toBe("NetworkPolicy");
    expect(findKindByResource("sg")?.kind).toBe("SecurityGroup");
    expect(findKindByResource("pb")?.kind).toBe("PortBan");
    const conv = { get: () => undefined, now: () => h.clock.now() };
    expect(toKubernetes(policy, conv)).toMatchObject({
      apiVersion: "networking.k8s.io/v1",
      kind: "NetworkPolicy",
      metadata: { name: "p", namespace: "shop" },
      spec: { podSelector: { matchLabels: { app: "web" } }, policyTypes: ["Ingress"] },
    });
    const cols = kindDefinition("NetworkPolicy").printerColumns;
    expect(cols.map((c) => c.name)).toEqual(["Name", "Pod-Selector", "Age"]);
    expect(cols[1]?.cell(policy, conv)).toBe("app=web,tier notin (a,b)");
    expect(toKubernetes(group, conv)).toMatchObject({
      apiVersion: "cloud.tenant.io/v1",
      kind: "SecurityGroup",
      metadata: { name: "web-sg" },
      spec: { ingressRules: [{ protocol: "tcp", remoteAddress: "10.0.0.0/16", action: "allow", priority: 100 }] },
    });
    expect(toKubernetes(ban, conv)).toMatchObject({ kind: "PortBan", spec: { portRangeMin: 25, scope: "all" } });

    await h.engine.deleteNamespace(A, "shop");
    await h.engine.settle();
    expect(h.engine.listNetworkPolicies(A).items).toEqual([]);
  });
});
