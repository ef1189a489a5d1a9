/** The tenant's events (like `kubectl get events`), newest first, and its quota. */
import { z } from "zod";
import { createTRPCRouter, tenantProcedure } from "../init";
import { engineCursorSchema, textSchema } from "../schemas";

export const eventsRouter = createTRPCRouter({
  list: tenantProcedure("viewer")
    .input(
      z
        .object({
          limit: z.number().int().min(1).max(500).default(50),
          cursor: engineCursorSchema,
          objectKind: z.enum(["Deployment", "ReplicaSet", "Pod", "Node", "NodePool"]).optional(),
          objectName: textSchema().max(253).optional(),
          type: z.enum(["Normal", "Warning"]).optional(),
        })
        .strict(),
    )
    .query(({ ctx, input }) => ctx.services.engine.listEvents(ctx.tenant.id, input)),
});

export const quotaRouter = createTRPCRouter({
  /** Limits, what live pods use, and what deployments claim (including rollout surge). */
  get: tenantProcedure("viewer")
    .input(z.object({}).strict().optional())
    .query(({ ctx }) => ctx.services.engine.getQuota(ctx.tenant.id)),
});
