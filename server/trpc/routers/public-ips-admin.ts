/**
 * The operators' public network, for Admin → Network: the shared public pool (PublicIPPools: IPv4
 * ranges, non-overlapping, /16 to /30, with each range's used, on-hold and free addresses),
 * every tenant's public IPs, DDoS events across tenants (newest first) with the overrides (end a
 * blackhole now; disable or re-enable protection for one address), and network usage by tenant.
 * Operators only (an operator API token reads; changes need a signed-in operator). The engine
 * checks what a range means (overlap, prefix bounds, a range still holding allocated addresses:
 * CONFLICT naming it) and refuses with the field (`spec.cidrs[1]`), which the page marks.
 */
import { z } from "zod";
import { listTenantNames } from "@/db/queries/tenancy";
import type { PublicIp } from "../../engine/kinds/public-ip";
import type { Services } from "../../services";
import type { AuditScope } from "../context";
import { createTRPCRouter, operatorProcedure } from "../init";
import { dns1123Schema, engineCursorSchema, idSchema, textSchema } from "../schemas";
import { okView } from "../views/common";
import { toPublicIpView } from "../views/public-ips";
import {
  ddosEventView,
  type OperatorPublicIpViewOut,
  operatorPublicIpView,
  publicPoolView,
  tenantNetworkUsageView,
  toDdosEventView,
  toPublicPoolView,
  toTenantNetworkUsageView,
} from "../views/public-ips-admin";

/** Far above any real pool; the engine says what a range means. */
const cidrs = z
  .array(textSchema().min(1, "Enter a range such as 203.0.113.0/24.").max(64))
  .min(1, "A pool needs at least one range.")
  .max(256);
const poolInput = z.object({ name: dns1123Schema, cidrs }).strict();
const ipv4 = textSchema().regex(
  /^((25[0-5]|2[0-4]\d|1\d\d|[1-9]?\d)\.){3}(25[0-5]|2[0-4]\d|1\d\d|[1-9]?\d)$/,
  "Enter an IPv4 address such as 203.0.113.7.",
);
const byAddress = z.object({ address: ipv4 }).strict();
const listInput = z
  .object({ limit: z.number().int().min(1).max(500).default(100), cursor: engineCursorSchema })
  .strict();

export const publicIpsAdminRouter = createTRPCRouter({
  /** Every pool with its ranges and their use, by name. */
  pools: operatorProcedure
    .input(z.object({}).strict().optional())
    .output(z.array(publicPoolView))
    .query(({ ctx }) => ctx.services.engine.listPublicIpPools().map(toPublicPoolView)),

  createPool: operatorProcedure
    .input(poolInput)
    .output(publicPoolView)
    .mutation(async ({ ctx, input }) => {
      ctx.audit.target = `PublicIPPool/${input.name}`;
      const engine = ctx.services.engine;
      await engine.createPublicIpPool({ name: input.name, spec: { cidrs: input.cidrs } });
      return toPublicPoolView(engine.getPublicIpPool(input.name));
    }),

  /** The pool's ranges replaced whole (add or remove one); with `resourceVersion`, only if unchanged since. */
  replacePool: operatorProcedure
    .input(
      poolInput
        .extend({
          resourceVersion: textSchema()
            .regex(/^\d{1,15}$/)
            .optional(),
        })
        .strict(),
    )
    .output(publicPoolView)
    .mutation(async ({ ctx, input }) => {
      ctx.audit.target = `PublicIPPool/${input.name}`;
      const engine = ctx.services.engine;
      await engine.replacePublicIpPool({
        name: input.name,
        spec: { cidrs: input.cidrs },
        ...(input.resourceVersion === undefined ? {} : { resourceVersion: Number(input.resourceVersion) }),
      });
      return toPublicPoolView(engine.getPublicIpPool(input.name));
    }),

  /** CONFLICT while any of its addresses is allocated. */
  deletePool: operatorProcedure
    .input(z.object({ name: dns1123Schema }).strict())
    .output(okView)
    .mutation(async ({ ctx, input }) => {
      ctx.audit.target = `PublicIPPool/${input.name}`;
      await ctx.services.engine.deletePublicIpPool(input.name);
      return { ok: true as const };
    }),

  /** Every tenant's public IPs (or one tenant's), by tenant then namespace then name, with the tenant's name. */
  publicIps: operatorProcedure
    .input(listInput.extend({ tenantId: idSchema.optional() }).strict())
    .output(z.object({ items: z.array(operatorPublicIpView), nextCursor: z.string().optional() }))
    .query(async ({ ctx, input }) => {
      const page = ctx.services.engine.listAllPublicIps(input);
      const names = await listTenantNames(ctx.services.db, [...new Set(page.items.map((p) => p.tenantId))]);
      return {
        items: page.items.map((p) => ({
          ...toPublicIpView(p),
          tenantId: p.tenantId,
          tenantName: names.get(p.tenantId) ?? null,
        })),
        nextCursor: page.nextCursor,
      };
    }),

  /** Blackholes and their ends across tenants, newest first, with the address when the object still exists. */
  ddosEvents: operatorProcedure
    .input(listInput)
    .output(z.object({ items: z.array(ddosEventView), nextCursor: z.string().optional() }))
    .query(async ({ ctx, input }) => {
      const engine = ctx.services.engine;
      const page = engine.listDdosEvents(input);
      const names = await listTenantNames(ctx.services.db, [...new Set(page.items.map((e) => e.tenantId))]);
      const addresses = new Map<string, string>();
      for (const tenantId of new Set(page.items.map((e) => e.tenantId))) {
        for (const p of engine.listAllPublicIps({ tenantId, limit: 500 }).items)
          addresses.set(`${p.tenantId}/${p.namespace}/${p.name}`, p.status.address);
      }
      return {
        items: page.items.map((e) =>
          toDdosEventView(
            e,
            names.get(e.tenantId) ?? null,
            addresses.get(`${e.tenantId}/${e.objectNamespace ?? e.namespace}/${e.objectName}`),
          ),
        ),
        nextCursor: page.nextCursor,
      };
    }),

  /** Ends a blackhole now (an event says so). NOT_FOUND for an address no tenant holds. */
  clearBlackhole: operatorProcedure
    .input(byAddress)
    .output(operatorPublicIpView)
    .mutation(async ({ ctx, input }) => {
      ctx.audit.target = `PublicIP/${input.address}`;
      return withTenant(ctx, await ctx.services.engine.clearDdosBlackhole(input.address));
    }),

  /** enabled=false: this address is never black-holed (one in force ends); true: protected again. */
  setProtection: operatorProcedure
    .input(byAddress.extend({ enabled: z.boolean() }).strict())
    .output(operatorPublicIpView)
    .mutation(async ({ ctx, input }) => {
      ctx.audit.target = `PublicIP/${input.address}`;
      return withTenant(ctx, await ctx.services.engine.setDdosProtection(input.address, input.enabled));
    }),

  /** Per tenant: public IPs held and bound, bandwidth bought, and its pods' modelled traffic now. */
  usage: operatorProcedure
    .input(z.object({}).strict().optional())
    .output(z.array(tenantNetworkUsageView))
    .query(async ({ ctx }) => {
      const usage = ctx.services.engine.networkUsageByTenant();
      const names = await listTenantNames(
        ctx.services.db,
        usage.map((u) => u.tenantId),
      );
      return usage.map((u) => toTenantNetworkUsageView(u, names.get(u.tenantId) ?? null));
    }),
});

/** The answer to an override: the address's PublicIP with its tenant, recorded in the audit entry too. */
async function withTenant(
  ctx: { services: Services; audit: AuditScope },
  p: PublicIp,
): Promise<OperatorPublicIpViewOut> {
  ctx.audit.tenantId = p.tenantId;
  const names = await listTenantNames(ctx.services.db, [p.tenantId]);
  return { ...toPublicIpView(p), tenantId: p.tenantId, tenantName: names.get(p.tenantId) ?? null };
}
