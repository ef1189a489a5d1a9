/** The tenant's events (like `kubectl get events`, `namespace?` absent: every namespace), newest first, and its quota. */
import { z } from "zod";
import { eventViewSchema, pageOf } from "../../workloads/view-schemas";
import { listEventViews } from "../../workloads/views";
import { createTRPCRouter, tenantProcedure } from "../init";
import { engineCursorSchema, textSchema } from "../schemas";
import { quotaStatusView } from "../views/cluster";
import { namespaceField } from "./namespaces";

export const eventsRouter = createTRPCRouter({
  list: tenantProcedure("viewer")
    .input(
      z
        .object({
          ...namespaceField,
          limit: z.number().int().min(1).max(500).default(50),
          cursor: engineCursorSchema,
          objectKind: z.enum(["Deployment", "ReplicaSet", "Pod", "Node", "NodePool", "Namespace"]).optional(),
          objectName: textSchema().max(253).optional(),
          type: z.enum(["Normal", "Warning"]).optional(),
        })
        .strict(),
    )
    .output(pageOf(eventViewSchema))
    .query(({ ctx, input }) => listEventViews(ctx.services.engine, ctx.tenant.id, input)),
});

export const quotaRouter = createTRPCRouter({
  /** Limits, what live pods use, and what deployments claim (including rollout surge). */
  get: tenantProcedure("viewer")
    .input(z.object({}).strict().optional())
    .output(quotaStatusView)
    .query(({ ctx }) => ctx.services.engine.getQuota(ctx.tenant.id)),
});
