import { describe, expect, it } from "vitest";
import { compileGroupAttachments, resolvePodSecurityGroups } from "./group-attachment";
import { DEFAULT_SECURITY_LIMITS } from "./limits";
import { group, rule } from "./security.test-kit";

const web = { namespace: "prod", labels: { app: "web", tier: "front" }, podName: "web-1" };

describe("which security groups apply to a pod", () => {
  it("applies every group whose selector selects the pod, in name order, by matchLabels and matchExpressions", () => {
    const groups = [
      group("zeta", { podSelector: { matchLabels: { app: "web" } } }),
      group("alpha", {
        podSelector: { matchExpressions: [{ key: "tier", operator: "In", values: ["front", "edge"] }] },
      }),
      group("db", { podSelector: { matchLabels: { app: "db" } } }),
      group("everyone", { podSelector: {} }),
    ];
    expect(resolvePodSecurityGroups(groups, web)).toEqual({ ok: true, groups: ["alpha", "everyone", "zeta"] });
  });

  it("narrows a selector to its namespaces", () => {
    const groups = [group("prod-only", { podSelector: {}, namespaces: ["prod"] })];
    expect(resolvePodSecurityGroups(groups, web)).toEqual({ ok: true, groups: ["prod-only"] });
    expect(resolvePodSecurityGroups(groups, { ...web, namespace: "dev" })).toEqual({ ok: true, groups: [] });
  });

  it("applies the namespace default only when no selector group selects the pod", () => {
    const groups = [
      group("prod-default", { defaultForNamespaces: ["prod"] }),
      group("web", { podSelector: { matchLabels: { app: "web" } } }),
    ];
    expect(resolvePodSecurityGroups(groups, web)).toEqual({ ok: true, groups: ["web"] });
    expect(resolvePodSecurityGroups(groups, { ...web, labels: { app: "batch" } })).toEqual({
      ok: true,
      groups: ["prod-default"],
    });
    expect(resolvePodSecurityGroups(groups, { ...web, namespace: "dev", labels: {} })).toEqual({
      ok: true,
      groups: [],
    });
  });

  it("refuses a sixth group with the groups and the limit in the message", () => {
    const groups = ["a", "b", "c", "d", "e", "f"].map((n) => group(n, { podSelector: {} }));
    const r = resolvePodSecurityGroups(groups, web);
    expect(r).toEqual({
      ok: false,
      code: "too-many-groups",
      groups: ["a", "b", "c", "d", "e", "f"],
      message:
        'pod "web-1" would get 6 security groups (a, b, c, d, e, f); at most 5 may apply to a pod: narrow a group\'s podSelector or namespaces',
    });
    expect(resolvePodSecurityGroups(groups.slice(0, 5), web).ok).toBe(true);
  });

  it("refuses more rules per direction than a pod may have", () => {
    const limits = { ...DEFAULT_SECURITY_LIMITS, rulesPerPod: 3 };
    const many = [rule(), rule({ portRangeMin: 1, portRangeMax: 1 })];
    const groups = [
      group("a", { podSelector: {}, ingressRules: many }),
      group("b", { podSelector: {}, ingressRules: many }),
    ];
    const r = compileGroupAttachments(groups, limits).resolve(web);
    expect(r.ok).toBe(false);
    expect(!r.ok && r.code).toBe("too-many-rules");
    expect(!r.ok && r.message).toContain("would get 4 ingress rules from its security groups (a, b); at most 3");
  });
});
