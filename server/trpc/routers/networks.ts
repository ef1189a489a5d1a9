/**
 * The tenant's network for the console's Networks page and cloudctl: its VPC and subnets with
 * their address use, and the connectivity check ("from pod A to pod B / service S / address X
 * on port P": delivered, or dropped with the exact reason and the trace of every filter). The
 * check is answered by the engine from the same tables its traffic model enforces; it reads and
 * changes nothing, so every member of the tenant may run it. An unknown pod or service (another
 * tenant's included) is NOT_FOUND; the tenant always comes from the session.
 */
import { z } from "zod";
import { createTRPCRouter, tenantProcedure } from "../init";
import { dns1123Schema, textSchema } from "../schemas";
import { okView } from "../views/common";
import { connectivityResultView, tenantNetworkView } from "../views/networks";

const podName = textSchema().min(1, "A pod name is required.").max(253, "Names are at most 253 characters.");
const namespace = dns1123Schema.optional();
/** A dotted-quad IPv4 address; the engine decides what it reaches (the tenant's network, the internet, nothing). */
const IPV4 = /^((25[0-5]|2[0-4]\d|1\d\d|[1-9]?\d)\.){3}(25[0-5]|2[0-4]\d|1\d\d|[1-9]?\d)$/;
const ipv4 = textSchema().regex(IPV4, "Enter an IPv4 address such as 10.0.0.12.");

const podSource = z.object({ internet: z.undefined().optional(), pod: podName, namespace }).strict();
/** The engine refuses a private or reserved `address` at `from.address` (no such host on the internet). */
const internetSource = z
  .object({
    internet: z.literal(true, { error: "From the internet, internet is true." }),
    address: textSchema().regex(IPV4, "Enter a public IPv4 address such as 198.51.100.20.").optional(),
  })
  .strict();
// Discriminated, so a mistake is reported at its own field (from.address, from.pod), not as "no variant matched".
const source = z.discriminatedUnion("internet", [podSource, internetSource], {
  error: "Start from a pod ({ pod }) or from the internet ({ internet: true }).",
});

export const connectivityCheckInput = z
  .object({
    from: source,
    to: z.union([
      z.object({ pod: podName, namespace }).strict(),
      z.object({ service: dns1123Schema, namespace }).strict(),
      z.object({ address: ipv4 }).strict(),
    ]),
    protocol: z.enum(["tcp", "udp", "icmp"]).default("tcp"),
    port: z.number().int().min(1, "Ports are 1 to 65535.").max(65535, "Ports are 1 to 65535.").optional(),
  })
  .strict()
  .refine((i) => i.protocol === "icmp" || i.port !== undefined, {
    message: "A port is required for tcp and udp.",
    path: ["port"],
  })
  .refine((i) => i.from.internet !== true || "address" in i.to, {
    message: "From the internet, the destination is an address (one of your public IPs).",
    path: ["to"],
  });

/** Checked by the engine (DNS-1123 label, inside the VPC, no overlap), with its field; bounded here. */
const subnetName = textSchema().min(1, "A name is required.").max(63, "Subnet names are at most 63 characters.");
const cidrBlock = textSchema().min(1, "A CIDR block is required.").max(64, "A CIDR block is at most 64 characters.");
const subnetNamespaces = z.array(dns1123Schema).max(1000);
const resourceVersion = textSchema()
  .regex(/^\d{1,15}$/, "A resourceVersion is a number.")
  .optional();
const dryRun = z.boolean().optional();
const precondition = (rv: string | undefined) => (rv === undefined ? {} : { resourceVersion: Number(rv) });

export const networksRouter = createTRPCRouter({
  /** The tenant's VPC, its subnets with used/held/free addresses, the service range and the DNS suffix. */
  get: tenantProcedure("viewer")
    .input(z.object({}).strict().optional())
    .output(tenantNetworkView)
    .query(({ ctx }) => ctx.services.engine.getTenantNetwork(ctx.tenant.id)),

  /** Would a flow from a pod (or the internet) reach a pod, a service or an address? Delivered, or dropped with why. */
  check: tenantProcedure("viewer")
    .input(connectivityCheckInput)
    .output(connectivityResultView)
    .query(({ ctx, input }) => ctx.services.engine.checkConnectivity(ctx.tenant.id, input)),

  /** A new subnet of the VPC for the namespaces named (their new pods take addresses there). */
  createSubnet: tenantProcedure("member")
    .input(z.object({ name: subnetName, cidrBlock, namespaces: subnetNamespaces.default([]), dryRun }).strict())
    .output(okView)
    .mutation(async ({ ctx, input }) => {
      ctx.audit.target = `Subnet/${input.name}`;
      await ctx.services.engine.createSubnet(
        ctx.tenant.id,
        { name: input.name, spec: { cidrBlock: input.cidrBlock, namespaces: input.namespaces } },
        { dryRun: input.dryRun },
      );
      return { ok: true as const };
    }),

  /** The subnet's namespaces replaced (everything else kept); with `resourceVersion`, only if unchanged since. */
  updateSubnetNamespaces: tenantProcedure("member")
    .input(z.object({ name: subnetName, namespaces: subnetNamespaces, resourceVersion, dryRun }).strict())
    .output(okView)
    .mutation(async ({ ctx, input }) => {
      ctx.audit.target = `Subnet/${input.name}`;
      const engine = ctx.services.engine;
      const current = engine.getSubnet(ctx.tenant.id, input.name);
      await engine.replaceSubnet(
        ctx.tenant.id,
        {
          name: current.name,
          labels: { ...current.labels },
          annotations: { ...current.annotations },
          spec: { ...current.spec, namespaces: input.namespaces },
          ...precondition(input.resourceVersion),
        },
        { dryRun: input.dryRun },
      );
      return { ok: true as const };
    }),

  /** Refused while a pod holds one of its addresses (CONFLICT naming it), and for the default subnet. */
  deleteSubnet: tenantProcedure("member")
    .input(z.object({ name: subnetName, resourceVersion, dryRun }).strict())
    .output(okView)
    .mutation(async ({ ctx, input }) => {
      ctx.audit.target = `Subnet/${input.name}`;
      await ctx.services.engine.deleteSubnet(ctx.tenant.id, input.name, {
        ...precondition(input.resourceVersion),
        dryRun: input.dryRun,
      });
      return { ok: true as const };
    }),
});
