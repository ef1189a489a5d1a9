import { describe, expect, it } from "vitest";
import { MAX_RULE_PRIORITY, DEFAULT_SECURITY_LIMITS } from "@/server/engine/network/security/limits";
import {
  draftOfGroup,
  emptyRule,
  fieldKeyOfPath,
  groupProblems,
  inputOfDraft,
  newGroupDraft,
  problemAt,
  ruleProblems,
  type GroupDraft,
} from "./rule-draft";

const withRules = (ingress: ReturnType<typeof emptyRule>[], extra: Partial<GroupDraft> = {}): GroupDraft => ({
  ...newGroupDraft(),
  name: "web",
  ingressRules: ingress,
  ...extra,
});

describe("the security group form's checks", () => {
  it("accepts a new group with a valid rule and sends what it shows", () => {
    const d = withRules([emptyRule({ portRangeMin: "443", remoteAddress: "0.0.0.0/0", description: "https" })]);
    expect(groupProblems(d)).toEqual({});
    const input = inputOfDraft(d);
    // One port typed: the range is that port.
    expect(input.ingressRules).toEqual([
      {
        protocol: "tcp",
        portRangeMin: 443,
        portRangeMax: 443,
        remoteAddress: "0.0.0.0/0",
        action: "allow",
        priority: 100,
        description: "https",
      },
    ]);
    // AWS's default outbound rule is written out, so removing it is a visible choice.
    expect(input.egressRules).toEqual([expect.objectContaining({ protocol: "all", remoteAddress: "0.0.0.0/0" })]);
  });

  it("puts the engine's refusal of a bad CIDR at that rule's remote address", () => {
    const d = withRules([
      emptyRule({ portRangeMin: "22", remoteAddress: "10.0.0.1/16" }),
      emptyRule({ remoteAddress: "10.0.0.300" }),
    ]);
    const problems = groupProblems(d);
    const first = ruleProblems(problems, "ingress", 0).remoteAddress;
    expect(first).toEqual({ text: expect.stringContaining("did you mean 10.0.0.0/16") });
    expect((first as { text: string }).text).not.toMatch(/^spec\./);
    expect(ruleProblems(problems, "ingress", 1).remoteAddress).toBeDefined();
    expect(ruleProblems(problems, "egress", 0)).toEqual({});
  });

  it("states the priority range and the port range the server enforces", () => {
    const d = withRules([
      emptyRule({
        portRangeMin: "90",
        portRangeMax: "80",
        remoteAddress: "10.0.0.0/8",
        priority: String(MAX_RULE_PRIORITY + 1),
      }),
    ]);
    const p = ruleProblems(groupProblems(d), "ingress", 0);
    expect(p.priority).toEqual({ text: expect.stringContaining("must be between 1 and 200") });
    expect(p.portRangeMax).toEqual({ text: expect.stringContaining("greater than or equal to portRangeMin (90)") });
  });

  it("says a box holding text is not a whole number, and an empty priority is required", () => {
    const p = ruleProblems(
      groupProblems(withRules([emptyRule({ portRangeMin: "http", remoteAddress: "10.0.0.0/8", priority: "" })])),
      "ingress",
      0,
    );
    expect(p.portRangeMin).toEqual({ kind: "notWhole" });
    expect(p.priority).toEqual({ kind: "required" });
  });

  it("refuses ports for icmp, a missing remote, an unknown remote group and a duplicate rule", () => {
    const rule = emptyRule({ protocol: "tcp", portRangeMin: "80", remoteAddress: "10.0.0.0/8" });
    const d = withRules([
      emptyRule({ protocol: "icmp", portRangeMin: "1", remoteAddress: "10.0.0.0/8" }),
      emptyRule({ remoteAddress: "" }),
      emptyRule({ remoteKind: "group", remoteSecurityGroup: "ghost" }),
      rule,
      { ...rule, key: "copy" },
    ]);
    const problems = groupProblems(d, new Set(["db"]));
    expect(ruleProblems(problems, "ingress", 0).portRangeMin).toEqual({ text: expect.stringContaining("icmp") });
    expect(ruleProblems(problems, "ingress", 1).remoteAddress).toEqual({
      text: expect.stringContaining("Required value"),
    });
    expect(ruleProblems(problems, "ingress", 2).remoteSecurityGroup).toEqual({
      text: expect.stringContaining("Not found"),
    });
    expect(ruleProblems(problems, "ingress", 4).rule).toEqual({ text: expect.stringContaining("same rule as") });
    // The group itself may be a remote: its own name counts as known.
    const self = withRules([emptyRule({ remoteKind: "group", remoteSecurityGroup: "web" })]);
    expect(groupProblems(self, new Set(["db"]))).toEqual({});
  });

  it("refuses more rules per direction than the limit, at the direction", () => {
    const many = Array.from({ length: DEFAULT_SECURITY_LIMITS.rulesPerGroup + 1 }, (_, i) =>
      emptyRule({ portRangeMin: String(i + 1), remoteAddress: "10.0.0.0/8" }),
    );
    expect(groupProblems(withRules(many)).ingress).toEqual({
      text: expect.stringContaining("must have at most 60 items"),
    });
  });

  it("checks the name, the selector and the namespaces", () => {
    const d = withRules([], { name: "Web_1", attach: "selector", selector: "app" });
    const p = groupProblems(d);
    expect(p.name).toEqual({ text: expect.stringContaining("RFC 1123") });
    expect(p.selector).toEqual({ kind: "selectorSyntax" });
    const defaults = groupProblems(withRules([], { attach: "namespaceDefault", defaultForNamespaces: "prod, Bad_NS" }));
    expect(defaults.defaultForNamespaces).toEqual({ text: expect.stringContaining("Bad_NS") });
  });

  it("maps the engine's paths to the form's fields", () => {
    expect(fieldKeyOfPath("spec.egressRules[3].priority")).toBe("egress.3.priority");
    expect(fieldKeyOfPath("spec.ingressRules[0]")).toBe("ingress.0");
    expect(fieldKeyOfPath("spec.ingressRules")).toBe("ingress");
    expect(fieldKeyOfPath("metadata.name")).toBe("name");
    expect(fieldKeyOfPath("spec.defaultForNamespaces[1]")).toBe("defaultForNamespaces");
    expect(fieldKeyOfPath("status.attachedPods")).toBeNull();
  });

  it("finds a field's own part of the server's refusal", () => {
    const one =
      'SecurityGroup.cloud.tenant.io "web" is invalid: spec.ingressRules[0].priority: Invalid value: 0: must be between 1 and 200';
    expect(problemAt(one, "spec.ingressRules[0].priority")).toBe("Invalid value: 0: must be between 1 and 200");
    const many =
      'SecurityGroup.cloud.tenant.io "web" is invalid: [spec.ingressRules[0].priority: Invalid value: 0: bad, spec.egressRules[1].remoteAddress: Invalid value: "x": not a CIDR]';
    expect(problemAt(many, "spec.ingressRules[0].priority")).toBe("Invalid value: 0: bad");
    expect(problemAt(many, "spec.egressRules[1].remoteAddress")).toBe('Invalid value: "x": not a CIDR');
    expect(problemAt("Conflict", "spec.x")).toBe("Conflict");
  });

  it("reads a stored group back into the same form", () => {
    const d = withRules([emptyRule({ portRangeMin: "8000", portRangeMax: "8080", remoteAddress: "192.0.2.0/24" })], {
      attach: "selector",
      selector: "app=web,tier=front",
      namespaces: "prod",
    });
    const again = draftOfGroup(inputOfDraft(d));
    expect(inputOfDraft(again)).toEqual(inputOfDraft(d));
    expect(again.attach).toBe("selector");
  });
});
