/** Deployments (replica sets with revisions), tenant-scoped; every write goes through the engine. */
import { z } from "zod";
import { deploymentSpecSchema, dnsName, podTemplateSchema } from "../../engine";
import { getDeploymentWithPods, listDeploymentsWithHealth } from "../../workloads/views";
import { createTRPCRouter, tenantProcedure } from "../init";
import { engineListInput, refSchema } from "../schemas";

const byName = z.object({ name: refSchema }).strict();
const strategySchema = deploymentSpecSchema.shape.strategy;

export const deploymentsRouter = createTRPCRouter({
  list: tenantProcedure("viewer")
    .input(engineListInput)
    .query(({ ctx, input }) =>
      listDeploymentsWithHealth(ctx.services.engine, ctx.tenant.id, input, ctx.services.clock.now()),
    ),

  /** One deployment with its kept revisions (oldest first), its health and its pods, all from one engine read. */
  get: tenantProcedure("viewer")
    .input(byName)
    .query(({ ctx, input }) =>
      getDeploymentWithPods(ctx.services.engine, ctx.tenant.id, input.name, ctx.services.clock.now()),
    ),

  create: tenantProcedure("member")
    .input(deploymentSpecSchema.extend({ name: dnsName }))
    // Quota and an overdue tenant's growth freeze are the engine's admission, as for every command below.
    .mutation(({ ctx, input }) => ctx.services.engine.createDeployment(ctx.tenant.id, input)),

  /** A template change starts a rollout; replicas alone only scale. */
  update: tenantProcedure("member")
    .input(
      z
        .object({
          name: refSchema,
          replicas: z.number().int().min(0).max(1000).optional(),
          template: podTemplateSchema.optional(),
          strategy: strategySchema.optional(),
          revisionHistoryLimit: z.number().int().min(0).max(100).optional(),
          progressDeadlineSeconds: z.number().int().min(1).max(86_400).optional(),
        })
        .strict(),
    )
    .mutation(async ({ ctx, input }) => {
      const { name, ...patch } = input;
      return ctx.services.engine.updateDeployment(ctx.tenant.id, name, patch);
    }),

  scale: tenantProcedure("member")
    .input(
      z
        .object({
          name: refSchema,
          replicas: z.number().int().min(0, "Replicas cannot be negative.").max(1000, "At most 1,000 replicas."),
        })
        .strict(),
    )
    .mutation(async ({ ctx, input }) => {
      return ctx.services.engine.scaleDeployment(ctx.tenant.id, input.name, input.replicas);
    }),

  /** Back to a kept revision (the previous one when none is named). */
  rollback: tenantProcedure("member")
    .input(z.object({ name: refSchema, toRevision: z.number().int().min(1).max(1_000_000).optional() }).strict())
    .mutation(({ ctx, input }) => ctx.services.engine.rollbackDeployment(ctx.tenant.id, input.name, input.toRevision)),

  restart: tenantProcedure("member")
    .input(byName)
    .mutation(({ ctx, input }) => ctx.services.engine.restartDeployment(ctx.tenant.id, input.name)),

  pause: tenantProcedure("member")
    .input(byName)
    .mutation(({ ctx, input }) => ctx.services.engine.pauseDeployment(ctx.tenant.id, input.name)),

  resume: tenantProcedure("member")
    .input(byName)
    .mutation(({ ctx, input }) => ctx.services.engine.resumeDeployment(ctx.tenant.id, input.name)),

  delete: tenantProcedure("member")
    .input(byName)
    .mutation(({ ctx, input }) => ctx.services.engine.deleteDeployment(ctx.tenant.id, input.name)),
});
