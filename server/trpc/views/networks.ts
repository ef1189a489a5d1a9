/**
 * Network views: the tenant's private network (its VPC, subnets with how many addresses are
 * used, held before reuse and free, which namespaces map to each, the service range and the DNS
 * suffix; the VPC and subnets are the tenant's Vpc and Subnet objects), and a connectivity check's
 * answer (delivered, or dropped with the reason as data and as a sentence, and every filter the
 * flow met on the way). The reason view carries every parameter of the reason, so a console can
 * say it in its reader's language; the engine's English sentence comes along as `message`.
 */
import { z } from "zod";
import { DROP_CODES, type NoRouteCause } from "../../engine/network/security/drop-reason";
import { CHECK_STAGES } from "../../engine/network/security/flow";

/** The engine's NoRouteCause values, one each (the mapped type fails to compile when the engine adds one). */
const NO_ROUTE_CAUSES: { readonly [C in NoRouteCause]: C } = {
  "different-tenant": "different-tenant",
  "no-port-at-address": "no-port-at-address",
  "outside-vpc": "outside-vpc",
  "no-internet-egress": "no-internet-egress",
  "no-public-target": "no-public-target",
  "no-ready-endpoints": "no-ready-endpoints",
};

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

/**
 * Every parameter of every DropReason (network/security/drop-reason.ts), flat, so the console can
 * say the reason in the reader's language from `code` and these; `message` is the engine's English.
 * `reason` is a port ban's operator-written text, shown as written.
 */
export const dropReasonView = z.object({
  code: z.enum(DROP_CODES),
  cause: z.enum(NO_ROUTE_CAUSES).optional(),
  pod: z.string().optional(),
  service: z.string().optional(),
  address: z.string().optional(),
  assignedMac: z.string().optional(),
  claimedMac: z.string().optional(),
  assignedIp: z.string().optional(),
  claimedIp: z.string().optional(),
  group: z.string().optional(),
  groups: z.array(z.string()).readonly().optional(),
  ruleIndex: z.number().optional(),
  entryId: z.string().optional(),
  reason: z.string().optional(),
  policies: z.array(z.string()).readonly().optional(),
  direction: z.string().optional(),
  protocol: z.string().optional(),
  port: z.number().optional(),
  remote: z.string().optional(),
  side: z.enum(["destination", "source"]).optional(),
  /** Black-holed until, ms since the epoch. */
  until: z.number().optional(),
});
export type DropReasonViewOut = z.infer<typeof dropReasonView>;

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
  /** From the internet: `internet` true, `pod` and `namespace` empty, `ip` the internet host's. */
  source: z.object({ pod: z.string(), namespace: z.string(), ip: z.string(), internet: z.literal(true).optional() }),
  destination: z.object({
    ip: z.string(),
    pod: z.string().optional(),
    namespace: z.string().optional(),
    service: z.string().optional(),
  }),
});
export type ConnectivityResultViewOut = z.infer<typeof connectivityResultView>;
