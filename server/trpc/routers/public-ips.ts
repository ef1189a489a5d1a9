/**
 * Public IPs for the console's Public IPs page and cloudctl: a tenant allocates an address from
 * the operators' shared pool (quota-counted, billed per hour held and per Mbit/s bought, bound or
 * not), binds it to one of its pods (the pod's public NIC; sticky: it follows the pod's
 * replacement after a move or a drain) or to a LoadBalancer service of the same namespace,
 * unbinds it, changes its bandwidth and releases it. Every member reads; writes need the member
 * role, as on the Kubernetes API, and may carry the resourceVersion last read (changed since:
 * CONFLICT, nothing written). The engine decides what a binding means (a Service that is not a
 * LoadBalancer: INVALID at `spec.target.kind`; a target already holding an address: CONFLICT; an
 * exhausted pool: CONFLICT without naming who holds it) and the console shows that at the field.
 */
import { z } from "zod";
import { pageOf } from "../../workloads/view-schemas";
import { createTRPCRouter, tenantProcedure } from "../init";
import { dns1123Schema, engineListInput, textSchema } from "../schemas";
import { okView } from "../views/common";
import { publicIpView, toPublicIpView } from "../views/public-ips";
import { namespaceField } from "./namespaces";

const byName = z.object({ ...namespaceField, name: dns1123Schema }).strict();
const resourceVersion = textSchema()
  .regex(/^\d{1,15}$/, "A resourceVersion is a number.")
  .optional();
/** The engine's bounds (contract: integer 1..10000), here so the field says so before anything is sent. */
export const bandwidthMbps = z
  .number()
  .int("Bandwidth is a whole number of Mbit/s.")
  .min(1, "Bandwidth is 1 to 10000 Mbit/s.")
  .max(10_000, "Bandwidth is 1 to 10000 Mbit/s.");
const target = z
  .object({
    kind: z.enum(["Pod", "Service"]),
    /** A pod's name may be longer than a label (253); a service's is a label, which the engine checks. */
    name: textSchema().min(1, "Choose what to bind to.").max(253, "Names are at most 253 characters."),
  })
  .strict();

const precondition = (rv: string | undefined) => (rv === undefined ? {} : { resourceVersion: Number(rv) });
const where = (i: { namespace?: string; name: string }) => `PublicIP/${i.namespace ? `${i.namespace}/` : ""}${i.name}`;

export const publicIpsRouter = createTRPCRouter({
  /** A page of the tenant's public IPs of one namespace (absent: every namespace), by namespace then name. */
  list: tenantProcedure("viewer")
    .input(engineListInput.extend(namespaceField))
    .output(pageOf(publicIpView))
    .query(({ ctx, input }) => {
      const { direction: _direction, ...opts } = input;
      const page = ctx.services.engine.listPublicIps(ctx.tenant.id, opts);
      return { items: page.items.map(toPublicIpView), nextCursor: page.nextCursor };
    }),

  /** The public IP a pod holds now (its public NIC), or null: what the pod page shows. */
  ofPod: tenantProcedure("viewer")
    .input(z.object({ ...namespaceField, pod: textSchema().min(1, "A pod name is required.").max(253) }).strict())
    .output(publicIpView.nullable())
    .query(({ ctx, input }) => {
      // A namespace holds few public IPs (the tenant's quota bounds them): one page is all of them.
      const page = ctx.services.engine.listPublicIps(ctx.tenant.id, { namespace: input.namespace, limit: 1000 });
      const held = page.items.find((p) => p.status.boundPod === input.pod);
      return held ? toPublicIpView(held) : null;
    }),

  get: tenantProcedure("viewer")
    .input(byName)
    .output(publicIpView)
    .query(({ ctx, input }) =>
      toPublicIpView(ctx.services.engine.getPublicIp(ctx.tenant.id, input.name, { namespace: input.namespace })),
    ),

  /** A new address from the pool, bound to nothing. QUOTA_EXCEEDED over the tenant's limit; CONFLICT if the pool is out. */
  allocate: tenantProcedure("member")
    .input(
      z
        .object({
          ...namespaceField,
          name: dns1123Schema,
          bandwidthMbps: bandwidthMbps.optional(),
          dryRun: z.boolean().optional(),
        })
        .strict(),
    )
    .output(publicIpView)
    .mutation(async ({ ctx, input }) => {
      ctx.audit.target = where(input);
      const created = await ctx.services.engine.createPublicIp(
        ctx.tenant.id,
        {
          name: input.name,
          ...(input.namespace ? { namespace: input.namespace } : {}),
          spec: input.bandwidthMbps === undefined ? {} : { bandwidthMbps: input.bandwidthMbps },
        },
        { dryRun: input.dryRun },
      );
      return toPublicIpView(created);
    }),

  /** Binds it to a pod or a LoadBalancer service of its namespace (replacing any binding it had). */
  bind: tenantProcedure("member")
    .input(byName.extend({ target, sticky: z.boolean().optional(), resourceVersion }).strict())
    .output(publicIpView)
    .mutation(async ({ ctx, input }) => {
      ctx.audit.target = where(input);
      const bound = await ctx.services.engine.bindPublicIp(
        ctx.tenant.id,
        input.name,
        { ...input.target, ...(input.sticky === undefined ? {} : { sticky: input.sticky }) },
        { namespace: input.namespace, ...precondition(input.resourceVersion) },
      );
      return toPublicIpView(bound);
    }),

  /** Ends the binding; the address stays the tenant's (and billed) until released. */
  unbind: tenantProcedure("member")
    .input(byName.extend({ resourceVersion }).strict())
    .output(publicIpView)
    .mutation(async ({ ctx, input }) => {
      ctx.audit.target = where(input);
      return toPublicIpView(
        await ctx.services.engine.unbindPublicIp(ctx.tenant.id, input.name, {
          namespace: input.namespace,
          ...precondition(input.resourceVersion),
        }),
      );
    }),

  /** A new bandwidth: the public NIC's cap both ways, billed per Mbit/s-hour from now on. */
  setBandwidth: tenantProcedure("member")
    .input(byName.extend({ bandwidthMbps, resourceVersion }).strict())
    .output(publicIpView)
    .mutation(async ({ ctx, input }) => {
      ctx.audit.target = where(input);
      const engine = ctx.services.engine;
      const current = engine.getPublicIp(ctx.tenant.id, input.name, { namespace: input.namespace });
      const replaced = await engine.replacePublicIp(ctx.tenant.id, {
        name: current.name,
        namespace: current.namespace,
        spec: { ...current.spec, bandwidthMbps: input.bandwidthMbps },
        // The version last read by the caller, else the one just read here (a concurrent change: CONFLICT).
        resourceVersion: input.resourceVersion === undefined ? current.resourceVersion : Number(input.resourceVersion),
      });
      return toPublicIpView(replaced);
    }),

  /** Releases the address (unbinding it first); it returns to the pool after a short hold. */
  release: tenantProcedure("member")
    .input(byName.extend({ resourceVersion }).strict())
    .output(okView)
    .mutation(async ({ ctx, input }) => {
      ctx.audit.target = where(input);
      await ctx.services.engine.deletePublicIp(ctx.tenant.id, input.name, {
        namespace: input.namespace,
        ...precondition(input.resourceVersion),
      });
      return { ok: true as const };
    }),
});
