/**
 * Network views: the tenant's private network (its VPC, subnets with how many addresses are
 * used, held before reuse and free, which namespaces map to each, the service range and the DNS
 * suffix; the VPC and subnets are the tenant's Vpc and Subnet objects), and a connectivity check's answer (delivered, or dropped with the reason as data and
 * as a sentence, and every filter the flow met on the way). The reason view keeps the fields a
 * person needs to find the rule or entry that decided (code, group and rule index, blocklist
 * entry, policies, the no-route cause); the engine's sentence says the rest.
 */
import { z } from "zod";
import { DROP_CODES } from "../../engine/network/security/drop-reason";
import { CHECK_STAGES } from "../../engine/network/security/flow";

export const subnetView = z.object({
  name: z.string(),
  cidr: z.string(),
  gateway: z.string(),
  /** Pods of every namespace no subnet names take their addresses here. */
  default: z.boolean(),
  /** The namespaces whose new pods take addresses here now (the default's: every one no other subnet names). */
  namespaces: z.array(z.string()),
  /** The Subnet's own spec.namespaces (what an edit changes). */
  assignedNamespaces: z.array(z.string()),
  excludeIps: z.array(z.string()),
  /** For an edit's precondition. */
  resourceVersion: z.number(),
  total: z.number(),
  used: z.number(),
  /** Released addresses held for a short while before reuse. */
  held: z.number(),
  free: z.number(),
});

export const tenantNetworkView = z.object({
  vpc: z.object({ name: z.string(), cidr: z.string() }),
  subnets: z.array(subnetView),
  serviceCidr: z.string(),
  dnsSuffix: z.string(),
});
export type TenantNetworkViewOut = z.infer<typeof tenantNetworkView>;

export const dropReasonView = z.object({
  code: z.enum(DROP_CODES),
  cause: z.string().optional(),
  pod: z.string().optional(),
  address: z.string().optional(),
  group: z.string().optional(),
  groups: z.array(z.string()).readonly().optional(),
  ruleIndex: z.number().optional(),
  entryId: z.string().optional(),
  policies: z.array(z.string()).readonly().optional(),
  direction: z.string().optional(),
  protocol: z.string().optional(),
  port: z.number().optional(),
  remote: z.string().optional(),
});

export const traceStepView = z.object({
  stage: z.enum(CHECK_STAGES),
  outcome: z.enum(["passed", "dropped", "not-applicable"]),
  detail: z.string(),
});

export const connectivityResultView = z.object({
  verdict: z.enum(["delivered", "dropped"]),
  path: z.enum(["private", "public"]).optional(),
  reason: dropReasonView.optional(),
  message: z.string().optional(),
  trace: z.array(traceStepView),
  source: z.object({ pod: z.string(), namespace: z.string(), ip: z.string() }),
  destination: z.object({
    ip: z.string(),
    pod: z.string().optional(),
    namespace: z.string().optional(),
    service: z.string().optional(),
  }),
});
export type ConnectivityResultViewOut = z.infer<typeof connectivityResultView>;
