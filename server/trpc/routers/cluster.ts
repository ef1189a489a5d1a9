/** The operators' view of the engine: capacity, usage by tenant, queues, throughput, failure injection, quotas. */
import { z } from "zod";
import { listTenantNames } from "@/db/queries/tenancy";
import { loadDemo } from "../../demo/load-demo";
import { quotaSchema } from "../../engine";
import { createTRPCRouter, operatorProcedure } from "../init";
import { engineCursorSchema, idSchema, searchSchema } from "../schemas";
import {
  clusterHistoryView,
  clusterStatsView,
  loadDemoView,
  operatorNodePageView,
  quotaStatusView,
  tenantUsageView,
} from "../views/cluster";

export const clusterRouter = createTRPCRouter({
  stats: operatorProcedure
    .input(z.object({}).strict().optional())
    .output(clusterStatsView)
    .query(({ ctx }) => {
      const { scheduler, ...rest } = ctx.services.engine.stats();
      const { pendingByTenant, ...schedulerTotals } = scheduler;
      return { ...rest, scheduler: { ...schedulerTotals, tenantsWithPending: Object.keys(pendingByTenant).length } };
    }),

  /** Scheduler throughput and queue depths over the last hour, one point per 10 s. */
  history: operatorProcedure
    .input(z.object({}).strict().optional())
    .output(clusterHistoryView)
    .query(({ ctx }) => ctx.services.clusterHistory.samples()),

  /** Capacity, usage and quota of every tenant, with its name. */
  tenants: operatorProcedure
    .input(z.object({}).strict().optional())
    .output(tenantUsageView)
    .query(async ({ ctx }) => {
      const usage = ctx.services.engine.usageByTenant();
      const names = await listTenantNames(
        ctx.services.db,
        usage.map((u) => u.tenantId),
      );
      return usage.map((u) => ({ ...u, tenantName: names.get(u.tenantId) ?? null }));
    }),

  nodes: operatorProcedure
    .input(
      z
        .object({
          limit: z.number().int().min(1).max(500).default(100),
          cursor: engineCursorSchema,
          tenantId: idSchema.optional(),
          search: searchSchema,
        })
        .strict(),
    )
    .output(operatorNodePageView)
    .query(({ ctx, input }) => ctx.services.engine.listAllNodes(input)),

  /** Stops the node's modelled agent: heartbeats stop, NotReady after 50 s, pods evicted after 300 s. */
  injectNodeFailure: operatorProcedure
    .input(z.object({ id: idSchema }).strict())
    .output(z.void())
    .mutation(({ ctx, input }) => ctx.services.engine.injectNodeFailure(input.id)),

  recoverNode: operatorProcedure
    .input(z.object({ id: idSchema }).strict())
    .output(z.void())
    .mutation(({ ctx, input }) => ctx.services.engine.recoverNode(input.id)),

  setQuota: operatorProcedure
    .input(z.object({ id: idSchema, quota: quotaSchema }).strict())
    .output(quotaStatusView)
    .mutation(async ({ ctx, input }) => {
      ctx.audit.tenantId = input.id;
      await ctx.services.engine.setQuota(input.id, input.quota);
      return ctx.services.engine.getQuota(input.id);
    }),

  /** Loads the demo tenants (owned by the calling operator); a second call changes nothing. */
  loadDemo: operatorProcedure
    .input(z.object({}).strict().optional())
    .output(loadDemoView)
    .mutation(({ ctx }) => loadDemo(ctx.services.db, ctx.services.engine, ctx.principal.user.id)),
});
