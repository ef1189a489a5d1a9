import { describe, expect, it } from "vitest";
import { isEngineError } from "../../core/errors";
import { DEFAULT_SECURITY_LIMITS, securityLimitsProblem } from "./limits";
import { DEFAULT_EGRESS_RULE, describeRule, withSecurityGroupDefaults } from "./security-group";
import { assertValidSecurityGroup, securityGroupProblems } from "./security-group-validation";
import { group, rule } from "./security.test-kit";

const fields = (g: Parameters<typeof securityGroupProblems>[0], opts?: Parameters<typeof securityGroupProblems>[1]) =>
  securityGroupProblems(g, opts).map((p) => p.field);

describe("security group validation", () => {
  it("accepts every rule type", () => {
    const g = group("web", {
      ingressRules: [
        rule({ protocol: "tcp", portRangeMin: 80, portRangeMax: 443 }),
        rule({ protocol: "udp", portRangeMin: 53, portRangeMax: 53, remoteAddress: "10.0.0.7" }),
        rule({ protocol: "icmp", remoteSecurityGroup: "db", remoteAddress: undefined }),
        rule({ protocol: "all", action: "deny", priority: 1, remoteAddress: "192.0.2.0/24" }),
      ],
    });
    expect(securityGroupProblems(g, { knownGroups: new Set(["web", "db"]) })).toEqual([]);
  });

  it("names the field and what is allowed for each bad value", () => {
    const problems = securityGroupProblems(
      group("web", {
        ingressRules: [
          rule({ portRangeMin: 0, portRangeMax: 70000 }),
          rule({ portRangeMin: 90, portRangeMax: 80 }),
          rule({ protocol: "icmp", portRangeMin: 1, portRangeMax: 1 }),
          rule({ priority: 0 }),
          rule({ priority: 201 }),
          rule({ remoteAddress: "10.0.0.1/16" }),
          rule({ remoteAddress: undefined }),
          rule({ remoteSecurityGroup: "db" }),
          rule({ action: "reject" as "deny" }),
          rule({ protocol: "gre" as "tcp" }),
          rule({ portRangeMin: 22 }),
        ],
      }),
    );
    const byField = Object.fromEntries(problems.map((p) => [p.field, p.message]));
    expect(byField["spec.ingressRules[0].portRangeMin"]).toContain("must be between 1 and 65535, inclusive");
    expect(byField["spec.ingressRules[0].portRangeMax"]).toContain("70000");
    expect(byField["spec.ingressRules[1].portRangeMax"]).toContain("greater than or equal to portRangeMin (90)");
    expect(byField["spec.ingressRules[2].portRangeMin"]).toContain("ports may not be given for protocol icmp");
    expect(byField["spec.ingressRules[3].priority"]).toContain("must be between 1 and 200");
    expect(byField["spec.ingressRules[4].priority"]).toContain("201");
    expect(byField["spec.ingressRules[5].remoteAddress"]).toContain("did you mean 10.0.0.0/16");
    expect(byField["spec.ingressRules[6].remoteAddress"]).toContain("Required value");
    expect(byField["spec.ingressRules[7].remoteSecurityGroup"]).toContain(
      "may not be given together with remoteAddress",
    );
    expect(byField["spec.ingressRules[8].action"]).toContain("must be one of allow, deny");
    expect(byField["spec.ingressRules[9].protocol"]).toContain("must be one of tcp, udp, icmp, all");
    expect(byField["spec.ingressRules[10].portRangeMax"]).toContain("given together");
  });

  it("refuses a remote group the tenant does not have, when it knows its groups", () => {
    const g = group("web", { ingressRules: [rule({ remoteAddress: undefined, remoteSecurityGroup: "ghost" })] });
    expect(securityGroupProblems(g, { knownGroups: new Set(["web"]) })[0]?.message).toContain(
      'Not found: "ghost": no security group of that name in this tenant',
    );
    expect(securityGroupProblems(g)).toEqual([]);
  });

  it("enforces 60 rules per direction per group, and a raised quota when configured", () => {
    const rules = Array.from({ length: 61 }, (_, i) => rule({ portRangeMin: i + 1, portRangeMax: i + 1 }));
    expect(fields(group("web", { ingressRules: rules }))).toEqual(["spec.ingressRules"]);
    expect(securityGroupProblems(group("web", { egressRules: rules }))[0]?.message).toBe(
      "spec.egressRules: Too many: 61: must have at most 60 items",
    );
    expect(securityGroupProblems(group("web", { ingressRules: rules.slice(0, 60) }))).toEqual([]);
    const raised = { ...DEFAULT_SECURITY_LIMITS, rulesPerGroup: 200 };
    expect(securityGroupProblems(group("web", { ingressRules: rules }), { limits: raised })).toEqual([]);
  });

  it("refuses duplicate rules, naming the first", () => {
    const problems = securityGroupProblems(group("web", { ingressRules: [rule(), rule({ description: "again" })] }));
    expect(problems).toEqual([
      {
        field: "spec.ingressRules[1]",
        message: "spec.ingressRules[1]: Duplicate value: same rule as spec.ingressRules[0]",
      },
    ]);
  });

  it("validates the name, the attachment selector and namespaces", () => {
    const g = group("Web_SG", {
      podSelector: { matchExpressions: [{ key: "app", operator: "In", values: [] }] },
      namespaces: ["Prod"],
      defaultForNamespaces: ["ok", "not ok"],
    });
    expect(fields(g)).toEqual([
      "metadata.name",
      "spec.podSelector",
      "spec.namespaces[0]",
      "spec.defaultForNamespaces[1]",
    ]);
    expect(fields(group("web", { namespaces: ["prod"] }))).toEqual(["spec.podSelector"]);
  });

  it("throws one INVALID error with Kubernetes' wording and the first field", () => {
    try {
      assertValidSecurityGroup(group("web", { ingressRules: [rule({ priority: 0 })] }));
      expect.unreachable();
    } catch (e) {
      expect(isEngineError(e) && e.code).toBe("INVALID");
      expect((e as Error).message).toBe(
        'SecurityGroup.cloud.tenant.io "web" is invalid: spec.ingressRules[0].priority: Invalid value: 0: must be between 1 and 200, inclusive (lower wins)',
      );
      expect(isEngineError(e) && e.detail?.field).toBe("spec.ingressRules[0].priority");
    }
  });
});

describe("security group defaults and limits", () => {
  it("gives a group written without egress rules AWS's allow-all egress rule, and none when [] is written", () => {
    expect(withSecurityGroupDefaults({ name: "a" }).egressRules).toEqual([DEFAULT_EGRESS_RULE]);
    expect(withSecurityGroupDefaults({ name: "a", egressRules: [] }).egressRules).toEqual([]);
    expect(withSecurityGroupDefaults({ name: "a" }).allowSameGroupTraffic).toBe(false);
  });

  it("describes rules as a person reads them", () => {
    expect(describeRule(rule({ action: "deny", portRangeMin: 22, portRangeMax: 22 }), "ingress")).toBe(
      "deny tcp 22 from 0.0.0.0/0",
    );
    expect(describeRule(rule({ protocol: "udp", portRangeMin: 1000, portRangeMax: 2000 }), "egress")).toBe(
      "allow udp 1000-2000 to 0.0.0.0/0",
    );
    expect(describeRule(rule({ protocol: "all", remoteAddress: undefined, remoteSecurityGroup: "db" }), "egress")).toBe(
      "allow all to group db",
    );
  });

  it("keeps rules per group × groups per pod within 1,000", () => {
    expect(securityLimitsProblem(DEFAULT_SECURITY_LIMITS)).toBeUndefined();
    expect(securityLimitsProblem({ rulesPerGroup: 200, groupsPerPod: 5, rulesPerPod: 1000 })).toBeUndefined();
    expect(securityLimitsProblem({ rulesPerGroup: 250, groupsPerPod: 5, rulesPerPod: 1000 })).toContain(
      "= 1250) may not exceed 1000",
    );
    expect(securityLimitsProblem({ rulesPerGroup: 60, groupsPerPod: 5, rulesPerPod: 5000 })).toContain(
      "may not exceed 1000",
    );
    expect(securityLimitsProblem({ rulesPerGroup: 0, groupsPerPod: 5, rulesPerPod: 1000 })).toContain(
      "positive integer",
    );
  });
});
