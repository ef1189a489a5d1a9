/**
 * A tenant VPC's address plan: its CIDR and the service (ClusterIP) range beside it.
 * Guarantees: an accepted plan's CIDR lies inside one private range (RFC 1918 or the shared
 * 100.64.0.0/10) with a prefix of /8 to /28, and its service range lies inside a private range
 * too, outside the VPC, with a prefix of /12 (Kubernetes' largest service range) to /28.
 * Tenants' VPCs are independent networks, so two tenants may hold the same CIDR; nothing here
 * compares one tenant's plan with another's.
 */
import { type Cidr, cidrsOverlap, cidrWithin, formatCidr, parseCidr } from "../ipv4";
import { cidrField, type FieldProblem, prefixAllowed, type Validated } from "./field-problem";

/** The VPC a tenant gets when it names none (Kube-OVN's and AWS's usual /16). */
export const DEFAULT_VPC_CIDR = "10.0.0.0/16";

/**
 * The service range a tenant gets when it names none: Kubernetes' 10.96.0.0 range (as a /16:
 * 65,534 ClusterIPs per tenant), or, when the VPC overlaps it, 172.20.0.0/16, as EKS picks
 * for VPCs inside 10.0.0.0/8. One of the two is always outside a VPC: no block reaches both.
 */
export const DEFAULT_SERVICE_CIDR = "10.96.0.0/16";
export const FALLBACK_SERVICE_CIDR = "172.20.0.0/16";

/** Where VPCs and service ranges may lie: RFC 1918 and RFC 6598 (shared address space). */
export const PRIVATE_RANGES: readonly Cidr[] = ["10.0.0.0/8", "172.16.0.0/12", "192.168.0.0/16", "100.64.0.0/10"].map(
  parseCidr,
);
const PRIVATE_RANGES_TEXT = "10.0.0.0/8, 172.16.0.0/12, 192.168.0.0/16 or 100.64.0.0/10";

export const VPC_PREFIX = { min: 8, max: 28 } as const;
export const SERVICE_PREFIX = { min: 12, max: 28 } as const;

export interface VpcInput {
  /** spec.cidrBlock; DEFAULT_VPC_CIDR when absent. */
  readonly cidrBlock?: string;
  /** spec.serviceCidr; defaultServiceCidr(cidrBlock) when absent. */
  readonly serviceCidr?: string;
}

export interface VpcPlan {
  readonly cidr: Cidr;
  readonly serviceCidr: Cidr;
}

/** The default service range for a VPC: the first of 10.96.0.0/16, 172.20.0.0/16 outside it. */
export function defaultServiceCidr(vpc: Cidr): Cidr {
  const preferred = parseCidr(DEFAULT_SERVICE_CIDR);
  return cidrsOverlap(preferred, vpc) ? parseCidr(FALLBACK_SERVICE_CIDR) : preferred;
}

export function validateVpcPlan(input: VpcInput): Validated<VpcPlan> {
  const problems: FieldProblem[] = [];
  const cidr = privateBlock("spec.cidrBlock", input.cidrBlock ?? DEFAULT_VPC_CIDR, VPC_PREFIX, problems);
  if (!cidr) return { ok: false, problems };
  if (input.serviceCidr === undefined) return { ok: true, plan: { cidr, serviceCidr: defaultServiceCidr(cidr) } };
  const serviceCidr = privateBlock("spec.serviceCidr", input.serviceCidr, SERVICE_PREFIX, problems);
  if (serviceCidr && cidrsOverlap(serviceCidr, cidr))
    problems.push({
      path: "spec.serviceCidr",
      message: `${input.serviceCidr} overlaps the VPC ${formatCidr(cidr)}; services need a range outside it (e.g. ${formatCidr(defaultServiceCidr(cidr))})`,
    });
  return serviceCidr && problems.length === 0 ? { ok: true, plan: { cidr, serviceCidr } } : { ok: false, problems };
}

/** Parses a CIDR that must be private and within a prefix range; pushes a problem otherwise. */
export function privateBlock(
  path: string,
  text: string,
  prefix: { readonly min: number; readonly max: number },
  problems: FieldProblem[],
): Cidr | undefined {
  const cidr = cidrField(path, text, problems);
  if (!cidr || !prefixAllowed(path, text, cidr, prefix, problems)) return undefined;
  if (!PRIVATE_RANGES.some((r) => cidrWithin(cidr, r))) {
    problems.push({ path, message: `${text} is not a private range; use a block inside ${PRIVATE_RANGES_TEXT}` });
    return undefined;
  }
  return cidr;
}
