/** The tenant's nodes (modelled VMs) and node pools. Pools cost money: admins manage them. */
import { z } from "zod";
import { nodePoolSchema } from "../../engine";
import { createTRPCRouter, tenantProcedure } from "../init";
import { engineCursorSchema, engineListInput, refSchema } from "../schemas";
import {
  drainView,
  nodeDetailView,
  nodePageView,
  nodePoolPageView,
  nodePoolView,
  nodeView,
} from "../views/infrastructure";

const byName = z.object({ name: refSchema }).strict();

export const nodesRouter = createTRPCRouter({
  list: tenantProcedure("viewer")
    .input(
      z
        .object({
          limit: z.number().int().min(1).max(500).default(50),
          cursor: engineCursorSchema,
          pool: refSchema.optional(),
        })
        .strict(),
    )
    .output(nodePageView)
    .query(({ ctx, input }) => ctx.services.engine.listNodes(ctx.tenant.id, input)),

  /** A node with its allocation and the pods still on it (drain progress). */
  get: tenantProcedure("viewer")
    .input(byName)
    .output(nodeDetailView)
    .query(({ ctx, input }) => ctx.services.engine.getNode(ctx.tenant.id, input.name)),

  cordon: tenantProcedure("member")
    .input(byName)
    .output(nodeView)
    .mutation(({ ctx, input }) => ctx.services.engine.cordonNode(ctx.tenant.id, input.name)),

  uncordon: tenantProcedure("member")
    .input(byName)
    .output(nodeView)
    .mutation(({ ctx, input }) => ctx.services.engine.uncordonNode(ctx.tenant.id, input.name)),

  /** Cordon, then evict every pod gracefully; owned pods are recreated on other nodes. */
  drain: tenantProcedure("member")
    .input(byName)
    .output(drainView)
    .mutation(({ ctx, input }) => ctx.services.engine.drainNode(ctx.tenant.id, input.name)),
});

export const nodePoolsRouter = createTRPCRouter({
  list: tenantProcedure("viewer")
    .input(engineListInput)
    .output(nodePoolPageView)
    .query(({ ctx, input }) => ctx.services.engine.listNodePools(ctx.tenant.id, input)),

  create: tenantProcedure("admin")
    .input(nodePoolSchema)
    .output(nodePoolView)
    // Quota and an overdue tenant's growth freeze are the engine's admission.
    .mutation(({ ctx, input }) => ctx.services.engine.createNodePool(ctx.tenant.id, input)),

  update: tenantProcedure("admin")
    .input(
      z
        .object({
          name: refSchema,
          machineType: nodePoolSchema.shape.machineType.optional(),
          minSize: z.number().int().min(0).max(1000).optional(),
          maxSize: z.number().int().min(0).max(1000).optional(),
          labels: nodePoolSchema.shape.labels.optional(),
          trimmedImage: z.boolean().optional(),
          staticIp: z.boolean().optional(),
          warmPoolSize: z.number().int().min(0).max(100).optional(),
        })
        .strict(),
    )
    .output(nodePoolView)
    .mutation(async ({ ctx, input }) => {
      const { name, ...patch } = input;
      return ctx.services.engine.updateNodePool(ctx.tenant.id, name, patch);
    }),

  delete: tenantProcedure("admin")
    .input(byName)
    .output(z.void())
    .mutation(({ ctx, input }) => ctx.services.engine.deleteNodePool(ctx.tenant.id, input.name)),
});
