/**
 * Deployments (replica sets with revisions), tenant-scoped and namespaced; every write goes
 * through the engine. Lists take `namespace?` (absent: every namespace of the tenant); the
 * rest act in `namespace` (absent: the tenant's default namespace). Writes may carry the
 * `resourceVersion` last read: if the deployment changed since, CONFLICT and nothing changes.
 * Answers are views (view-schemas.ts), not the engine's stored objects.
 */
import { z } from "zod";
import { type Deployment, deploymentSpecSchema, dnsName, podTemplateSchema } from "../../engine";
import { deploymentDetailSchema, deploymentViewSchema, pageOf } from "../../workloads/view-schemas";
import { getDeploymentWithPods, listDeploymentsWithHealth, wireMeta } from "../../workloads/views";
import { createTRPCRouter, tenantProcedure } from "../init";
import { engineListInput, refSchema } from "../schemas";
import { namespaceField } from "./namespaces";

const byName = z.object({ ...namespaceField, name: refSchema }).strict();
/** A precondition: the resourceVersion the caller last read; a newer object refuses the write with CONFLICT. */
const resourceVersionField = {
  resourceVersion: z
    .string()
    .regex(/^\d{1,15}$/, "A resourceVersion is a number.")
    .optional(),
};
const writeOptions = (input: { namespace?: string; resourceVersion?: string }) => ({
  namespace: input.namespace,
  ...(input.resourceVersion !== undefined ? { resourceVersion: Number(input.resourceVersion) } : {}),
});
const strategySchema = deploymentSpecSchema.shape.strategy;

/** What a command answers: the deployment's metadata and spec as committed (its health comes with `get`). */
const committedSchema = z.object({
  uid: z.string(),
  name: z.string(),
  namespace: z.string(),
  resourceVersion: z.string(),
  creationTimestamp: z.string(),
  generation: z.number(),
  spec: deploymentViewSchema.shape.spec,
});
const committed = (d: Deployment) => ({ ...d, ...wireMeta(d) });

export const deploymentsRouter = createTRPCRouter({
  list: tenantProcedure("viewer")
    .input(engineListInput.extend(namespaceField))
    .output(pageOf(deploymentViewSchema))
    .query(({ ctx, input }) =>
      listDeploymentsWithHealth(ctx.services.engine, ctx.tenant.id, input, ctx.services.clock.now()),
    ),

  /** One deployment with its kept revisions (oldest first), its health and its pods, all from one engine read. */
  get: tenantProcedure("viewer")
    .input(byName)
    .output(deploymentDetailSchema)
    .query(({ ctx, input }) =>
      getDeploymentWithPods(ctx.services.engine, ctx.tenant.id, input.name, ctx.services.clock.now(), input),
    ),

  create: tenantProcedure("member")
    .input(deploymentSpecSchema.extend({ ...namespaceField, name: dnsName }))
    .output(committedSchema)
    // Quota and an overdue tenant's growth freeze are the engine's admission, as for every command below.
    .mutation(async ({ ctx, input }) => committed(await ctx.services.engine.createDeployment(ctx.tenant.id, input))),

  /** A template change starts a rollout; replicas alone only scale. */
  update: tenantProcedure("member")
    .input(
      z
        .object({
          ...namespaceField,
          ...resourceVersionField,
          name: refSchema,
          replicas: z.number().int().min(0).max(1000).optional(),
          template: podTemplateSchema.optional(),
          strategy: strategySchema.optional(),
          revisionHistoryLimit: z.number().int().min(0).max(100).optional(),
          progressDeadlineSeconds: z.number().int().min(1).max(86_400).optional(),
        })
        .strict(),
    )
    .output(committedSchema)
    .mutation(async ({ ctx, input }) => {
      const { name, namespace, resourceVersion, ...patch } = input;
      // A new template without labels keeps selecting the deployment's pods: it gets the selector's labels, as
      // the create command gives a template without labels `app: <name>` (clients written before selectors send none).
      if (patch.template && Object.keys(patch.template.labels ?? {}).length === 0) {
        const current = ctx.services.engine.getDeployment(ctx.tenant.id, name, { namespace });
        patch.template = { ...patch.template, labels: { ...current.spec.selector.matchLabels } };
      }
      return committed(
        await ctx.services.engine.updateDeployment(
          ctx.tenant.id,
          name,
          patch,
          writeOptions({ namespace, resourceVersion }),
        ),
      );
    }),

  scale: tenantProcedure("member")
    .input(
      z
        .object({
          ...namespaceField,
          ...resourceVersionField,
          name: refSchema,
          replicas: z.number().int().min(0, "Replicas cannot be negative.").max(1000, "At most 1,000 replicas."),
        })
        .strict(),
    )
    .output(committedSchema)
    .mutation(async ({ ctx, input }) =>
      committed(
        await ctx.services.engine.scaleDeployment(ctx.tenant.id, input.name, input.replicas, writeOptions(input)),
      ),
    ),

  /** Back to a kept revision (the previous one when none is named). */
  rollback: tenantProcedure("member")
    .input(
      z
        .object({ ...namespaceField, name: refSchema, toRevision: z.number().int().min(1).max(1_000_000).optional() })
        .strict(),
    )
    .output(committedSchema)
    .mutation(async ({ ctx, input }) =>
      committed(
        await ctx.services.engine.rollbackDeployment(ctx.tenant.id, input.name, input.toRevision, writeOptions(input)),
      ),
    ),

  restart: tenantProcedure("member")
    .input(byName)
    .output(committedSchema)
    .mutation(async ({ ctx, input }) =>
      committed(await ctx.services.engine.restartDeployment(ctx.tenant.id, input.name, writeOptions(input))),
    ),

  pause: tenantProcedure("member")
    .input(byName)
    .output(committedSchema)
    .mutation(async ({ ctx, input }) =>
      committed(await ctx.services.engine.pauseDeployment(ctx.tenant.id, input.name, writeOptions(input))),
    ),

  resume: tenantProcedure("member")
    .input(byName)
    .output(committedSchema)
    .mutation(async ({ ctx, input }) =>
      committed(await ctx.services.engine.resumeDeployment(ctx.tenant.id, input.name, writeOptions(input))),
    ),

  delete: tenantProcedure("member")
    .input(byName.extend(resourceVersionField))
    .output(z.void())
    .mutation(({ ctx, input }) => ctx.services.engine.deleteDeployment(ctx.tenant.id, input.name, writeOptions(input))),
});
