import { describe, expect, it, vi } from "vitest";
import { EngineError } from "../core/errors";
import { contextOf, event, node, pods } from "./fixtures.test-kit";
import { columnDefinitions, humanDuration, toTable } from "./printers";
import {
  checkKindList,
  findKindByApiKind,
  findKindByResource,
  KINDS,
  kindDefinition,
  kindsInCategory,
  objectMatcher,
} from "./registry";
import { fieldSelectorMatcher } from "./selectors";
import { NAMESPACED_KINDS, OBJECT_KINDS, type ObjectKind } from "./types";

describe("the kind registry", () => {
  it("defines every engine kind once", () => {
    expect(KINDS.map((k) => k.kind).sort()).toEqual([...OBJECT_KINDS].sort());
    for (const k of OBJECT_KINDS) expect(kindDefinition(k).kind).toBe(k);
  });

  it("refuses a kind list out of step with OBJECT_KINDS, or a wrong scope", () => {
    expect(() => checkKindList(KINDS, OBJECT_KINDS, NAMESPACED_KINDS)).not.toThrow();
    const withoutPod = KINDS.filter((k) => k.kind !== "Pod");
    expect(() => checkKindList(withoutPod, OBJECT_KINDS, NAMESPACED_KINDS)).toThrow(/Pod has no definition/);
    const kinds = OBJECT_KINDS.filter((k) => k !== "Event");
    expect(() => checkKindList(KINDS, kinds, NAMESPACED_KINDS)).toThrow(/Event is not in OBJECT_KINDS/);
    expect(() => checkKindList([...KINDS, kindDefinition("Pod")], OBJECT_KINDS, NAMESPACED_KINDS)).toThrow(/twice/);
    const clusterPods = new Set([...NAMESPACED_KINDS].filter((k) => k !== "Pod"));
    expect(() => checkKindList(KINDS, OBJECT_KINDS, clusterPods)).toThrow(/Pod's scope/);
  });

  it("declares each kind's name scope, state indexes and informer handler", () => {
    const scopes = Object.fromEntries(KINDS.map((k) => [k.kind, k.nameScope]));
    expect(scopes).toMatchObject({
      Namespace: "global",
      Node: "tenant",
      NodePool: "tenant",
      Quota: "tenant",
      SecurityGroup: "tenant",
      NetworkPolicy: "namespace",
      PortBan: "global",
    });
    const declared = Object.fromEntries(
      KINDS.map((k) => [k.kind, [...(k.indexes ?? []), ...(k.sums ?? [])].map((i) => i.name)]),
    );
    expect(declared).toMatchObject({
      Pod: ["byNode", "byOwner", "allocatedOnNode", "usageOfTenant", "usageOfNamespace"],
      ReplicaSet: ["byDeployment"],
      Node: ["byPool"],
      Namespace: ["tenantDefault"],
    });
    // Events set nothing going, nor do LimitRanges (they act when a template is admitted), nor
    // NetworkPolicies and PortBans (the core feeds the security state every committed batch);
    // every other kind's change does.
    expect(KINDS.filter((k) => !k.onChange).map((k) => k.kind)).toEqual([
      "LimitRange",
      "NetworkPolicy",
      "PortBan",
      "Event",
    ]);
  });

  // Kind modules import core/ as types only: whichever module loads first, KINDS is whole.
  it.each([
    "./pod",
    "./deployment",
    "./node",
    "./namespace",
    "./definition",
    "../core/state",
    "../core/informers",
    "../core/context",
    "../index",
  ])("loads whole when %s is imported first", async (first) => {
    vi.resetModules();
    await import(first);
    const fresh = await import("./registry");
    expect(fresh.KINDS.every((k) => k !== undefined && typeof k.toKubernetes === "function")).toBe(true);
    expect(fresh.KINDS).toHaveLength(OBJECT_KINDS.length);
  });

  it("finds kinds as kubectl names them", () => {
    expect(findKindByResource("po")?.kind).toBe("Pod");
    expect(findKindByResource("Pods")?.kind).toBe("Pod");
    expect(findKindByResource("deploy")?.kind).toBe("Deployment");
    expect(findKindByResource("deployments.apps")?.kind).toBe("Deployment");
    expect(findKindByResource("deployments.batch")).toBeUndefined();
    expect(findKindByResource("rs")?.kind).toBe("ReplicaSet");
    expect(findKindByResource("no")?.kind).toBe("Node");
    expect(findKindByResource("ns")?.kind).toBe("Namespace");
    expect(findKindByResource("ev")?.kind).toBe("Event");
    expect(findKindByResource("quota")?.kind).toBe("ResourceQuota");
    expect(findKindByResource("tenantquotas")?.kind).toBe("Quota");
    expect(findKindByResource("nodepools.cloud.tenant.io")?.kind).toBe("NodePool");
    expect(findKindByResource("netpol")?.kind).toBe("NetworkPolicy");
    expect(findKindByResource("networkpolicies.networking.k8s.io")?.kind).toBe("NetworkPolicy");
    expect(findKindByResource("sg")?.kind).toBe("SecurityGroup");
    expect(findKindByResource("securitygroups.cloud.tenant.io")?.kind).toBe("SecurityGroup");
    expect(findKindByResource("pb")?.kind).toBe("PortBan");
    expect(findKindByResource("portbans.cloud.tenant.io")?.kind).toBe("PortBan");
    expect(findKindByApiKind("TenantQuota")?.kind).toBe("Quota");
    expect(findKindByApiKind("deployment")?.kind).toBe("Deployment");
    expect(kindsInCategory("all").map((k) => k.kind)).toEqual(["Deployment", "ReplicaSet", "Pod", "Service"]);
  });

  it("states scope and API identity as Kubernetes does", () => {
    const scope = Object.fromEntries(KINDS.map((k) => [k.kind, [k.apiVersion, k.plural, k.namespaced]]));
    expect(scope).toMatchObject({
      Pod: ["v1", "pods", true],
      Deployment: ["apps/v1", "deployments", true],
      ReplicaSet: ["apps/v1", "replicasets", true],
      Node: ["v1", "nodes", false],
      Namespace: ["v1", "namespaces", false],
      Event: ["v1", "events", true],
      ResourceQuota: ["v1", "resourcequotas", true],
      NetworkPolicy: ["networking.k8s.io/v1", "networkpolicies", true],
      SecurityGroup: ["cloud.tenant.io/v1", "securitygroups", false],
      PortBan: ["cloud.tenant.io/v1", "portbans", false],
    });
    for (const k of KINDS) {
      expect(k.apiVersion).toBe(k.group === "" ? k.version : `${k.group}/${k.version}`);
      expect(k.namespaced, k.kind).toBe(NAMESPACED_KINDS.has(k.kind));
    }
  });
});

describe("printer columns", () => {
  // kubectl's own default (priority 0) and -o wide (priority 1) columns (pkg/printers/internalversion).
  const expected: Record<string, [string[], string[]]> = {
    Pod: [
      ["Name", "Ready", "Status", "Restarts", "Age"],
      ["IP", "Node", "Nominated Node", "Readiness Gates"],
    ],
    Deployment: [
      ["Name", "Ready", "Up-to-date", "Available", "Age"],
      ["Containers", "Images", "Selector"],
    ],
    ReplicaSet: [
      ["Name", "Desired", "Current", "Ready", "Age"],
      ["Containers", "Images", "Selector"],
    ],
    Node: [
      ["Name", "Status", "Roles", "Age", "Version"],
      ["Internal-IP", "External-IP", "OS-Image", "Kernel-Version", "Container-Runtime"],
    ],
    Namespace: [["Name", "Status", "Age"], []],
    Event: [
      ["Last Seen", "Type", "Reason", "Object", "Message"],
      ["Subobject", "Source", "First Seen", "Count", "Name"],
    ],
    ResourceQuota: [["Name", "Age", "Request", "Limit"], []],
    NetworkPolicy: [["Name", "Pod-Selector", "Age"], []],
    SecurityGroup: [
      ["Name", "Ingress-Rules", "Egress-Rules", "Age"],
      ["Pod-Selector", "Default-For", "Same-Group"],
    ],
    PortBan: [["Name", "Protocol", "Ports", "Scope", "Age"], ["Reason"]],
  };
  it.each(Object.entries(expected))("%s", (kind, [normal, wide]) => {
    const cols = columnDefinitions(kindDefinition(kind as ObjectKind));
    expect(cols.filter((c) => c.priority === 0).map((c) => c.name)).toEqual(normal);
    expect(cols.filter((c) => c.priority === 1).map((c) => c.name)).toEqual(wide);
  });

  it("every kind has a name-format column and described columns", () => {
    for (const k of KINDS) {
      const cols = columnDefinitions(k);
      expect(
        cols.some((c) => c.format === "name"),
        k.kind,
      ).toBe(true);
      for (const c of cols) expect(c.description.length, `${k.kind} ${c.name}`).toBeGreaterThan(0);
    }
  });

  it("makes a meta.k8s.io/v1 Table", () => {
    const t = toTable(kindDefinition("Pod"), pods, contextOf(), (p) => ({ metadata: { name: p.name } }), {
      resourceVersion: "20",
    });
    expect(t.apiVersion).toBe("meta.k8s.io/v1");
    expect(t.kind).toBe("Table");
    expect(t.rows).toHaveLength(2);
    expect(t.rows[0]?.cells).toHaveLength(t.columnDefinitions.length);
    expect(t.rows[0]?.object).toEqual({ metadata: { name: "web-5d8f7c-aaaaa" } });
  });

  it("reads ages as kubectl does", () => {
    const s = 1000;
    const cases: [number, string][] = [
      [-5 * s, "<invalid>"],
      [0, "0s"],
      [119 * s, "119s"],
      [150 * s, "2m30s"],
      [600 * s, "10m"],
      [3 * 3600 * s + 30 * 60 * s, "3h30m"],
      [30 * 3600 * s, "30h"],
      [50 * 3600 * s, "2d2h"],
      [20 * 86400 * s, "20d"],
      [800 * 86400 * s, "2y70d"],
      [3000 * 86400 * s, "8y"],
    ];
    for (const [ms, text] of cases) expect(humanDuration(ms), text).toBe(text);
  });
});

describe("field selectors per kind", () => {
  it("pods by node and phase", () => {
    const m = fieldSelectorMatcher(
      "spec.nodeName=general-abcde,status.phase!=Pending",
      kindDefinition("Pod").fieldGetters,
    );
    expect(pods.filter(m)).toHaveLength(2);
    const none = fieldSelectorMatcher("metadata.namespace=other", kindDefinition("Pod").fieldGetters);
    expect(pods.filter(none)).toHaveLength(0);
  });

  it("events by involved object, as kubectl describe asks", () => {
    const m = fieldSelectorMatcher(
      "involvedObject.name=web-5d8f7c-bbbbb,involvedObject.namespace=team-a,involvedObject.kind=Pod,involvedObject.uid=p-2",
      kindDefinition("Event").fieldGetters,
    );
    expect(m(event)).toBe(true);
  });

  it("refuses a field the kind does not have", () => {
    expect(() => fieldSelectorMatcher("spec.nodeName=x", kindDefinition("Node").fieldGetters)).toThrow(EngineError);
    expect(fieldSelectorMatcher("spec.unschedulable=true", kindDefinition("Node").fieldGetters)(node)).toBe(true);
  });
});

describe("objectMatcher", () => {
  it("applies label and field selectors to one kind, parsed once", () => {
    const m = objectMatcher("Pod", {
      labelSelector: "app in (web),pod-template-hash",
      fieldSelector: "status.phase=Running",
    });
    expect(pods.filter(m)).toHaveLength(2);
    expect(m(event)).toBe(false);
    expect(() => objectMatcher("Pod", { labelSelector: "app in ()" })).toThrow(/can't be empty/);
  });

  it("sees the labels the conversion adds", () => {
    expect(objectMatcher("Node", { labelSelector: "kubernetes.io/hostname=general-abcde" })(node)).toBe(true);
  });

  it("'*' matches every kind and allows metadata fields only", () => {
    const m = objectMatcher("*", { fieldSelector: "metadata.namespace=team-a" });
    expect([...pods, event, node].filter(m)).toHaveLength(3);
    expect(() => objectMatcher("*", { fieldSelector: "status.phase=Running" })).toThrow(/not supported/);
  });
});
