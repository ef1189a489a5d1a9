/** NetworkPolicy cases mirroring the upstream documentation's examples (concepts/services-networking/network-policies). */
import { describe, expect, it } from "vitest";
import type { Labels } from "../../kinds/label-selector";
import { parseIpv4 } from "../ipv4";
import {
  NetworkPolicySet,
  POLICY_ALLOWED,
  POLICY_DENIED,
  POLICY_NOT_ISOLATED,
  type NamespaceLabelSource,
} from "./network-policy";
import type { NetworkPolicy, NetworkPolicySpec } from "./network-policy-types";
import { effectivePolicyTypes } from "./network-policy-types";
import { assertValidNetworkPolicy, networkPolicyProblems } from "./network-policy-validation";
import type { FlowProtocol, PortIdentity } from "./types";

const NAMESPACES: Record<string, Labels> = {
  default: { "kubernetes.io/metadata.name": "default" },
  myproject: { "kubernetes.io/metadata.name": "myproject", project: "myproject" },
  other: { "kubernetes.io/metadata.name": "other" },
  delta: { "kubernetes.io/metadata.name": "delta", namespace: "delta" },
  alpha: { "kubernetes.io/metadata.name": "alpha", namespace: "alpha" },
};
const namespaces: NamespaceLabelSource = { namespaceLabels: (_t, ns) => NAMESPACES[ns] };

let nextIp = 10;
const pod = (namespace: string, labels: Labels, extra: Partial<PortIdentity> = {}): PortIdentity => ({
  tenantId: "acme",
  namespace,
  podName: `p${nextIp}`,
  labels,
  ip: parseIpv4(`10.0.0.${nextIp++}`),
  mac: "0a:58:00:00:00:01",
  groups: [],
  ...extra,
});
const policy = (name: string, spec: NetworkPolicySpec, namespace = "default"): NetworkPolicy =>
  assertValidNetworkPolicy({ name, namespace, spec });

const db = pod(
  "default",
  { role: "db" },
  { containerPorts: [{ name: "redis", containerPort: 6379, protocol: "TCP" }] },
);
const frontend = pod("default", { role: "frontend" });
const stranger = pod("default", { role: "other" });
const inProject = pod("myproject", { app: "x" });
const frontendInProject = pod("myproject", { role: "frontend" });
const inOther = pod("other", { role: "frontend" });

function ingress(
  set: NetworkPolicySet,
  to: PortIdentity,
  from: PortIdentity | number,
  protocol: FlowProtocol = "tcp",
  port = 6379,
) {
  return typeof from === "number"
    ? set.evaluate("ingress", to, from, undefined, protocol, port, namespaces)
    : set.evaluate("ingress", to, from.ip, from, protocol, port, namespaces);
}
function egress(
  set: NetworkPolicySet,
  from: PortIdentity,
  to: PortIdentity | number,
  protocol: FlowProtocol = "tcp",
  port = 5978,
) {
  return typeof to === "number"
    ? set.evaluate("egress", from, to, undefined, protocol, port, namespaces)
    : set.evaluate("egress", from, to.ip, to, protocol, port, namespaces);
}

describe("NetworkPolicy: the documentation's test-network-policy", () => {
  const set = new NetworkPolicySet([
    policy("test-network-policy", {
      podSelector: { matchLabels: { role: "db" } },
      policyTypes: ["Ingress", "Egress"],
      ingress: [
        {
          from: [
            { ipBlock: { cidr: "172.17.0.0/16", except: ["172.17.1.0/24"] } },
            { namespaceSelector: { matchLabels: { project: "myproject" } } },
            { podSelector: { matchLabels: { role: "frontend" } } },
          ],
          ports: [{ protocol: "TCP", port: 6379 }],
        },
      ],
      egress: [{ to: [{ ipBlock: { cidr: "10.0.0.0/24" } }], ports: [{ protocol: "TCP", port: 5978 }] }],
    }),
  ]);

  it("allows ingress to db on 6379 from each peer kind", () => {
    expect(ingress(set, db, frontend)).toBe(POLICY_ALLOWED);
    expect(ingress(set, db, inProject)).toBe(POLICY_ALLOWED);
    expect(ingress(set, db, parseIpv4("172.17.0.9"))).toBe(POLICY_ALLOWED);
  });

  it("denies the except block, other pods, other namespaces, other ports and protocols", () => {
    expect(ingress(set, db, parseIpv4("172.17.1.9"))).toBe(POLICY_DENIED);
    expect(ingress(set, db, stranger)).toBe(POLICY_DENIED);
    expect(ingress(set, db, inOther)).toBe(POLICY_DENIED);
    expect(ingress(set, db, frontend, "tcp", 6380)).toBe(POLICY_DENIED);
    expect(ingress(set, db, frontend, "udp", 6379)).toBe(POLICY_DENIED);
    expect(ingress(set, db, frontend, "icmp", 0)).toBe(POLICY_DENIED);
  });

  it("restricts db's egress to 10.0.0.0/24 on 5978, and leaves unselected pods alone", () => {
    expect(egress(set, db, parseIpv4("10.0.0.200"))).toBe(POLICY_ALLOWED);
    expect(egress(set, db, parseIpv4("10.0.1.1"))).toBe(POLICY_DENIED);
    expect(egress(set, db, parseIpv4("10.0.0.200"), "tcp", 80)).toBe(POLICY_DENIED);
    expect(ingress(set, frontend, stranger)).toBe(POLICY_NOT_ISOLATED);
    expect(egress(set, frontend, parseIpv4("8.8.8.8"))).toBe(POLICY_NOT_ISOLATED);
  });

  it("lists the policies isolating a pod per direction", () => {
    expect(set.policiesSelecting("ingress", db)).toEqual(["test-network-policy"]);
    expect(set.policiesSelecting("ingress", frontend)).toEqual([]);
  });
});

describe("NetworkPolicy: the documentation's defaults", () => {
  it("default deny all ingress isolates every pod of the namespace for ingress only", () => {
    const set = new NetworkPolicySet([policy("default-deny-ingress", { podSelector: {}, policyTypes: ["Ingress"] })]);
    expect(ingress(set, db, frontend)).toBe(POLICY_DENIED);
    expect(egress(set, db, frontend)).toBe(POLICY_NOT_ISOLATED);
    expect(ingress(set, inProject, frontend)).toBe(POLICY_NOT_ISOLATED);
  });

  it("allow all ingress adds up with a default deny (policies are additive)", () => {
    const set = new NetworkPolicySet([
      policy("default-deny-ingress", { podSelector: {}, policyTypes: ["Ingress"] }),
      policy("allow-all-ingress", { podSelector: {}, ingress: [{}], policyTypes: ["Ingress"] }),
    ]);
    expect(ingress(set, db, inOther, "udp", 1)).toBe(POLICY_ALLOWED);
    expect(set.allowingPolicy("ingress", db, inOther.ip, inOther, "udp", 1, namespaces)).toBe("allow-all-ingress");
  });

  it("default deny all egress, allow all egress, and deny both", () => {
    const denyEgress = new NetworkPolicySet([
      policy("default-deny-egress", { podSelector: {}, policyTypes: ["Egress"] }),
    ]);
    expect(egress(denyEgress, db, frontend)).toBe(POLICY_DENIED);
    expect(ingress(denyEgress, db, frontend)).toBe(POLICY_NOT_ISOLATED);
    const allowEgress = new NetworkPolicySet([
      policy("allow-all-egress", { podSelector: {}, egress: [{}], policyTypes: ["Egress"] }),
    ]);
    expect(egress(allowEgress, db, parseIpv4("203.0.113.5"), "udp", 53)).toBe(POLICY_ALLOWED);
    const both = new NetworkPolicySet([
      policy("default-deny-all", { podSelector: {}, policyTypes: ["Ingress", "Egress"] }),
    ]);
    expect(egress(both, db, frontend)).toBe(POLICY_DENIED);
    expect(ingress(both, db, frontend)).toBe(POLICY_DENIED);
  });

  it("defaults policyTypes to Ingress, plus Egress only when there are egress rules", () => {
    expect(effectivePolicyTypes({ podSelector: {} })).toEqual(["Ingress"]);
    expect(effectivePolicyTypes({ podSelector: {}, egress: [] })).toEqual(["Ingress"]);
    expect(effectivePolicyTypes({ podSelector: {}, egress: [{}] })).toEqual(["Ingress", "Egress"]);
    const set = new NetworkPolicySet([
      policy("egress-only-rules", { podSelector: {}, egress: [{ ports: [{ port: 53, protocol: "UDP" }] }] }),
    ]);
    expect(ingress(set, db, frontend)).toBe(POLICY_DENIED);
    expect(egress(set, db, parseIpv4("10.0.0.1"), "udp", 53)).toBe(POLICY_ALLOWED);
  });
});

describe("NetworkPolicy: peers, namespaces and ports", () => {
  it("a namespaceSelector and podSelector in one peer is AND, in two peers OR", () => {
    const and = new NetworkPolicySet([
      policy("and", {
        podSelector: { matchLabels: { role: "db" } },
        ingress: [
          {
            from: [
              {
                namespaceSelector: { matchLabels: { project: "myproject" } },
                podSelector: { matchLabels: { role: "frontend" } },
              },
            ],
          },
        ],
      }),
    ]);
    expect(ingress(and, db, frontendInProject)).toBe(POLICY_ALLOWED);
    expect(ingress(and, db, inProject)).toBe(POLICY_DENIED);
    expect(ingress(and, db, frontend)).toBe(POLICY_DENIED);
    const or = new NetworkPolicySet([
      policy("or", {
        podSelector: { matchLabels: { role: "db" } },
        ingress: [
          {
            from: [
              { namespaceSelector: { matchLabels: { project: "myproject" } } },
              { podSelector: { matchLabels: { role: "frontend" } } },
            ],
          },
        ],
      }),
    ]);
    expect(ingress(or, db, inProject)).toBe(POLICY_ALLOWED);
    expect(ingress(or, db, frontend)).toBe(POLICY_ALLOWED);
    expect(ingress(or, db, inOther)).toBe(POLICY_DENIED);
  });

  it("selects namespaces by matchExpressions and by kubernetes.io/metadata.name", () => {
    const notIn = new NetworkPolicySet([
      policy("egress-namespaces", {
        podSelector: { matchLabels: { role: "db" } },
        policyTypes: ["Egress"],
        egress: [
          {
            to: [
              {
                namespaceSelector: {
                  matchExpressions: [{ key: "namespace", operator: "NotIn", values: ["delta", "kube-system"] }],
                },
              },
            ],
          },
        ],
      }),
    ]);
    expect(egress(notIn, db, pod("alpha", {}))).toBe(POLICY_ALLOWED);
    expect(egress(notIn, db, pod("delta", {}))).toBe(POLICY_DENIED);
    expect(egress(notIn, db, parseIpv4("203.0.113.1"))).toBe(POLICY_DENIED);
    const byName = new NetworkPolicySet([
      policy("by-name", {
        podSelector: {},
        ingress: [{ from: [{ namespaceSelector: { matchLabels: { "kubernetes.io/metadata.name": "other" } } }] }],
      }),
    ]);
    expect(ingress(byName, db, inOther)).toBe(POLICY_ALLOWED);
    expect(ingress(byName, db, inProject)).toBe(POLICY_DENIED);
  });

  it("targets a range of ports with endPort", () => {
    const set = new NetworkPolicySet([
      policy("multi-port-egress", {
        podSelector: { matchLabels: { role: "db" } },
        policyTypes: ["Egress"],
        egress: [
          { to: [{ ipBlock: { cidr: "10.0.0.0/24" } }], ports: [{ protocol: "TCP", port: 32000, endPort: 32768 }] },
        ],
      }),
    ]);
    for (const [port, verdict] of [
      [31999, POLICY_DENIED],
      [32000, POLICY_ALLOWED],
      [32768, POLICY_ALLOWED],
      [32769, POLICY_DENIED],
    ] as const)
      expect(egress(set, db, parseIpv4("10.0.0.3"), "tcp", port)).toBe(verdict);
  });

  it("resolves a named port against the destination pod (the selected pod on ingress, the remote on egress)", () => {
    const set = new NetworkPolicySet([
      policy("named", {
        podSelector: {},
        ingress: [{ ports: [{ port: "redis" }] }],
        egress: [{ ports: [{ port: "redis" }] }],
      }),
    ]);
    expect(ingress(set, db, frontend, "tcp", 6379)).toBe(POLICY_ALLOWED);
    expect(ingress(set, db, frontend, "tcp", 6380)).toBe(POLICY_DENIED);
    expect(ingress(set, frontend, db, "tcp", 6379)).toBe(POLICY_DENIED);
    expect(egress(set, frontend, db, "tcp", 6379)).toBe(POLICY_ALLOWED);
    expect(egress(set, frontend, db.ip, "tcp", 6379)).toBe(POLICY_DENIED);
    const udp = new NetworkPolicySet([
      policy("named-udp", { podSelector: {}, ingress: [{ ports: [{ port: "redis", protocol: "UDP" }] }] }),
    ]);
    expect(ingress(udp, db, frontend, "udp", 6379)).toBe(POLICY_DENIED);
  });

  it("applies a policy only to pods of its own namespace", () => {
    const set = new NetworkPolicySet([policy("deny", { podSelector: {}, policyTypes: ["Ingress"] }, "myproject")]);
    expect(ingress(set, db, frontend)).toBe(POLICY_NOT_ISOLATED);
    expect(ingress(set, inProject, frontend)).toBe(POLICY_DENIED);
  });
});

describe("NetworkPolicy validation", () => {
  const problems = (spec: NetworkPolicySpec) => networkPolicyProblems({ name: "p", namespace: "default", spec });

  it("requires exactly one peer type", () => {
    expect(problems({ podSelector: {}, ingress: [{ from: [{}] }] })[0]?.message).toBe(
      "spec.ingress[0].from[0]: Required value: must specify a peer",
    );
    expect(
      problems({ podSelector: {}, egress: [{ to: [{ podSelector: {}, ipBlock: { cidr: "10.0.0.0/8" } }] }] })[0]
        ?.message,
    ).toBe("spec.egress[0].to[0]: Forbidden: may not specify more than 1 peer type");
  });

  it("requires except blocks strictly inside the cidr", () => {
    const p = problems({
      podSelector: {},
      ingress: [
        { from: [{ ipBlock: { cidr: "10.0.0.0/16", except: ["10.0.0.0/16", "10.1.0.0/24", "10.0.1.0/24"] } }] },
      ],
    });
    expect(p.map((x) => x.field)).toEqual([
      "spec.ingress[0].from[0].ipBlock.except[0]",
      "spec.ingress[0].from[0].ipBlock.except[1]",
    ]);
    expect(p[0]?.message).toContain("must be a strict subset of `cidr`");
    expect(
      problems({ podSelector: {}, ingress: [{ from: [{ ipBlock: { cidr: "10.0.0.1/16" } }] }] })[0]?.message,
    ).toContain("host bits set");
  });

  it("checks ports, endPort and policyTypes with upstream's words", () => {
    const p = problems({
      podSelector: {},
      policyTypes: ["Ingress", "Sideways" as "Ingress"],
      ingress: [
        {
          ports: [
            { port: 0 },
            { port: "HTTP" },
            { port: "http", endPort: 90 },
            { endPort: 90 },
            { port: 100, endPort: 90 },
            { protocol: "ICMP" as "TCP" },
          ],
        },
      ],
    });
    expect(p.map((x) => x.message)).toEqual([
      'spec.policyTypes[1]: Unsupported value: "Sideways": supported values: "Egress", "Ingress"',
      "spec.ingress[0].ports[0].port: Invalid value: 0: must be between 1 and 65535, inclusive",
      expect.stringContaining('spec.ingress[0].ports[1].port: Invalid value: "HTTP"'),
      "spec.ingress[0].ports[2].endPort: Invalid value: 90: may not be specified when `port` is non-numeric",
      "spec.ingress[0].ports[3].endPort: Required value: may not be specified when `port` is not specified",
      "spec.ingress[0].ports[4].endPort: Invalid value: 90: must be greater than or equal to `port`",
      'spec.ingress[0].ports[5].protocol: Unsupported value: "ICMP": supported values: "SCTP", "TCP", "UDP"',
    ]);
  });

  it("checks selectors with the field path", () => {
    expect(
      problems({ podSelector: { matchExpressions: [{ key: "a", operator: "Exists", values: ["x"] }] } })[0]?.message,
    ).toBe("spec.podSelector.matchExpressions[0].values: may not be specified when operator is Exists");
    expect(() =>
      assertValidNetworkPolicy({ name: "p", namespace: "d", spec: { podSelector: {}, ingress: [{ from: [{}] }] } }),
    ).toThrow(
      'NetworkPolicy.networking.k8s.io "p" is invalid: spec.ingress[0].from[0]: Required value: must specify a peer',
    );
  });
});
