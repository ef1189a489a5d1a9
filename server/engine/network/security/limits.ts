/**
 * Limits on security groups, stated once. AWS's quotas (VPC user guide, "Security groups"):
 * 60 inbound and 60 outbound rules per group, 5 groups per network interface, and the
 * rules-per-group quota times the groups-per-interface quota may not exceed 1,000. Kube-OVN's
 * priority range is 1..200. An operator may raise the per-group rule quota as AWS allows, as
 * long as the product stays within 1,000 (`securityLimitsProblem` refuses otherwise).
 */
export interface SecurityLimits {
  /** Rules per group and direction. */
  readonly rulesPerGroup: number;
  readonly groupsPerPod: number;
  /** rulesPerGroup × groupsPerPod may not exceed this; it also bounds a pod's rules per direction. */
  readonly rulesPerPod: number;
}

export const DEFAULT_SECURITY_LIMITS: SecurityLimits = { rulesPerGroup: 60, groupsPerPod: 5, rulesPerPod: 1000 };

export const MIN_RULE_PRIORITY = 1;
export const MAX_RULE_PRIORITY = 200;
export const MIN_PORT = 1;
export const MAX_PORT = 65535;
/** Operator blocklist entries (each is one cluster-wide ban; a few dozen is typical). */
export const MAX_BLOCKLIST_ENTRIES = 1000;
export const MAX_DESCRIPTION_LENGTH = 255;

/** Why a set of limits may not be used, or undefined. */
export function securityLimitsProblem(limits: SecurityLimits): string | undefined {
  const { rulesPerGroup, groupsPerPod, rulesPerPod } = limits;
  for (const [name, v] of Object.entries(limits))
    if (!Number.isInteger(v) || v < 1) return `${name} must be a positive integer, not ${v}`;
  if (rulesPerGroup * groupsPerPod > rulesPerPod)
    return `rulesPerGroup × groupsPerPod (${rulesPerGroup} × ${groupsPerPod} = ${rulesPerGroup * groupsPerPod}) may not exceed ${rulesPerPod}`;
  if (rulesPerPod > 1000) return `rulesPerPod may not exceed 1000 (AWS's bound on rules × groups), not ${rulesPerPod}`;
  return undefined;
}
