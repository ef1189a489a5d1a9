/**
 * Validation of security groups: every problem with its field path and what is allowed,
 * including the limits (limits.ts) on rules per group. Remote group references are checked
 * against the tenant's groups when the caller passes them (a reference to a missing group
 * would silently match nothing).
 */
import { labelSelectorRequirements } from "../../kinds/label-selector";
import { AddressError } from "../ipv4";
import {
  DEFAULT_SECURITY_LIMITS,
  MAX_DESCRIPTION_LENGTH,
  MAX_PORT,
  MAX_RULE_PRIORITY,
  MIN_PORT,
  MIN_RULE_PRIORITY,
  type SecurityLimits,
} from "./limits";
import { dnsLabelProblem, forbiddenValue, invalidObjectError, invalidValue, requiredValue, tooMany } from "./problems";
import { parseRemoteAddress, type SecurityGroup, type SecurityGroupRule } from "./security-group";
import type { FieldProblem } from "./types";

export const SECURITY_GROUP_KIND = "SecurityGroup.cloud.tenant.io";

export interface SecurityGroupValidationOptions {
  readonly limits?: SecurityLimits;
  /** The tenant's group names (this group's included); given, a remoteSecurityGroup must be one. */
  readonly knownGroups?: ReadonlySet<string>;
}

const PROTOCOLS = new Set(["tcp", "udp", "icmp", "all"]);
const ACTIONS = new Set(["allow", "deny"]);

function ruleProblems(rule: SecurityGroupRule, at: string, opts: SecurityGroupValidationOptions): FieldProblem[] {
  const out: FieldProblem[] = [];
  if (!PROTOCOLS.has(rule.protocol))
    out.push(invalidValue(`${at}.protocol`, rule.protocol, "must be one of tcp, udp, icmp, all"));
  const hasPorts = rule.portRangeMin !== undefined || rule.portRangeMax !== undefined;
  if (hasPorts && (rule.protocol === "icmp" || rule.protocol === "all")) {
    out.push(forbiddenValue(`${at}.portRangeMin`, `ports may not be given for protocol ${rule.protocol}`));
  } else if (hasPorts) {
    const { portRangeMin: min, portRangeMax: max } = rule;
    for (const [name, v] of [
      ["portRangeMin", min],
      ["portRangeMax", max],
    ] as const) {
      if (v === undefined) out.push(requiredValue(`${at}.${name}`, "portRangeMin and portRangeMax are given together"));
      else if (!Number.isInteger(v) || v < MIN_PORT || v > MAX_PORT)
        out.push(invalidValue(`${at}.${name}`, v, `must be between ${MIN_PORT} and ${MAX_PORT}, inclusive`));
    }
    if (min !== undefined && max !== undefined && min > max)
      out.push(invalidValue(`${at}.portRangeMax`, max, `must be greater than or equal to portRangeMin (${min})`));
  }
  const { remoteAddress, remoteSecurityGroup } = rule;
  if (remoteAddress === undefined && remoteSecurityGroup === undefined)
    out.push(requiredValue(`${at}.remoteAddress`, "one of remoteAddress (a CIDR) or remoteSecurityGroup is required"));
  else if (remoteAddress !== undefined && remoteSecurityGroup !== undefined)
    out.push(forbiddenValue(`${at}.remoteSecurityGroup`, "may not be given together with remoteAddress"));
  if (remoteAddress !== undefined) {
    try {
      parseRemoteAddress(remoteAddress);
    } catch (e) {
      if (!(e instanceof AddressError)) throw e;
      out.push(invalidValue(`${at}.remoteAddress`, remoteAddress, e.message));
    }
  }
  if (remoteSecurityGroup !== undefined) {
    const p = dnsLabelProblem(remoteSecurityGroup);
    if (p) out.push(invalidValue(`${at}.remoteSecurityGroup`, remoteSecurityGroup, p));
    else if (opts.knownGroups && !opts.knownGroups.has(remoteSecurityGroup))
      out.push({
        field: `${at}.remoteSecurityGroup`,
        message: `${at}.remoteSecurityGroup: Not found: "${remoteSecurityGroup}": no security group of that name in this tenant`,
      });
  }
  if (!ACTIONS.has(rule.action)) out.push(invalidValue(`${at}.action`, rule.action, "must be one of allow, deny"));
  if (!Number.isInteger(rule.priority) || rule.priority < MIN_RULE_PRIORITY || rule.priority > MAX_RULE_PRIORITY)
    out.push(
      invalidValue(
        `${at}.priority`,
        rule.priority,
        `must be between ${MIN_RULE_PRIORITY} and ${MAX_RULE_PRIORITY}, inclusive (lower wins)`,
      ),
    );
  if (rule.description !== undefined && rule.description.length > MAX_DESCRIPTION_LENGTH)
    out.push({
      field: `${at}.description`,
      message: `${at}.description: Too long: may not be more than ${MAX_DESCRIPTION_LENGTH} characters`,
    });
  return out;
}

/** A rule's identity for duplicate detection (description aside). */
const ruleKey = (r: SecurityGroupRule) =>
  [r.protocol, r.portRangeMin, r.portRangeMax, r.remoteAddress, r.remoteSecurityGroup, r.action, r.priority].join("|");

function rulesProblems(
  rules: readonly SecurityGroupRule[],
  at: string,
  opts: SecurityGroupValidationOptions,
  limits: SecurityLimits,
): FieldProblem[] {
  const out: FieldProblem[] = [];
  if (rules.length > limits.rulesPerGroup) out.push(tooMany(at, rules.length, limits.rulesPerGroup));
  const seen = new Map<string, number>();
  rules.forEach((rule, i) => {
    out.push(...ruleProblems(rule, `${at}[${i}]`, opts));
    const key = ruleKey(rule);
    const first = seen.get(key);
    if (first !== undefined)
      out.push({ field: `${at}[${i}]`, message: `${at}[${i}]: Duplicate value: same rule as ${at}[${first}]` });
    else seen.set(key, i);
  });
  return out;
}

/** Every problem of `group`, [] when it is valid. */
export function securityGroupProblems(group: SecurityGroup, opts: SecurityGroupValidationOptions = {}): FieldProblem[] {
  const limits = opts.limits ?? DEFAULT_SECURITY_LIMITS;
  const out: FieldProblem[] = [];
  const np = dnsLabelProblem(group.name);
  if (np) out.push(invalidValue("metadata.name", group.name, np));
  out.push(...rulesProblems(group.ingressRules, "spec.ingressRules", opts, limits));
  out.push(...rulesProblems(group.egressRules, "spec.egressRules", opts, limits));
  if (group.podSelector !== undefined) {
    try {
      labelSelectorRequirements(group.podSelector, "spec.podSelector");
    } catch (e) {
      out.push({ field: "spec.podSelector", message: (e as Error).message });
    }
  }
  for (const field of ["namespaces", "defaultForNamespaces"] as const)
    (group[field] ?? []).forEach((ns, i) => {
      const p = dnsLabelProblem(ns);
      if (p) out.push(invalidValue(`spec.${field}[${i}]`, ns, p));
    });
  if (group.namespaces !== undefined && group.podSelector === undefined)
    out.push(requiredValue("spec.podSelector", "spec.namespaces narrows spec.podSelector, which is missing"));
  return out;
}

/** Throws EngineError INVALID listing every problem; returns the group when it is valid. */
export function assertValidSecurityGroup(
  group: SecurityGroup,
  opts: SecurityGroupValidationOptions = {},
): SecurityGroup {
  const problems = securityGroupProblems(group, opts);
  if (problems.length > 0) throw invalidObjectError(SECURITY_GROUP_KIND, group.name, problems);
  return group;
}
