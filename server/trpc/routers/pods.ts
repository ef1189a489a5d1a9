/**
 * Pods, tenant-scoped and namespaced: list with filters (`namespace?` absent: every
 * namespace), detail (each with its health), logs, delete, move to another node; single pods
 * are found in `namespace` (absent: the tenant's default namespace). Answers are views.
 * `followLogs` (a subscription) sends the log, then the lines each of the pod's changes wrote,
 * driven by the engine's watch of that one pod, never by polling (see followPodLogs).
 */
import { z } from "zod";
import type { Orchestrator } from "../../engine";
import { pageOf, podViewSchema } from "../../workloads/view-schemas";
import { getPodWithHealth, listPodsWithHealth, wireMeta } from "../../workloads/views";
import { createTRPCRouter, tenantProcedure } from "../init";
import { engineCursorSchema, refSchema, textSchema } from "../schemas";
import { namespaceField } from "./namespaces";
import { logOverlap as overlap } from "@/lib/log-overlap";

const phaseSchema = z.enum(["Pending", "Running", "Succeeded", "Failed", "Unknown"]);
const byName = z.object({ ...namespaceField, name: refSchema }).strict();
const logsInput = z.object({ ...namespaceField, name: refSchema, container: textSchema().max(63).optional() }).strict();

/**
 * A pod's log as it grows: first every line it holds, then the new lines after each change of
 * the pod (its containers' lines are written as they start, exit and are signalled, which are
 * the pod's changes). Guarantees: memory is bounded by the log's own ring (a flag, not a queue,
 * records that the pod changed); the watch is closed when the pod is deleted, when the client
 * aborts, or when the generator is returned.
 */
export async function* followPodLogs(o: {
  engine: Orchestrator;
  tenantId: string;
  name: string;
  namespace: string;
  container?: string;
  signal?: AbortSignal;
}): AsyncGenerator<{ lines: string[] }, void> {
  const read = () => o.engine.getPodLogs(o.tenantId, o.name, o.container, { namespace: o.namespace });
  let changed = false;
  let gone = false;
  let wake: (() => void) | undefined;
  const poke = () => {
    wake?.();
    wake = undefined;
  };
  const watch = o.engine.watch(
    "Pod",
    {
      tenantId: o.tenantId,
      namespace: o.namespace,
      fieldSelector: `metadata.name=${o.name}`,
      resourceVersion: o.engine.currentRevision(),
    },
    (event) => {
      if (event.type === "BOOKMARK") return;
      if (event.type === "DELETED") gone = true;
      changed = true;
      poke();
    },
  );
  o.signal?.addEventListener("abort", poke, { once: true });
  try {
    let sent = read();
    yield { lines: sent };
    while (!o.signal?.aborted) {
      if (!changed) await new Promise<void>((resolve) => (wake = resolve));
      if (o.signal?.aborted) return;
      changed = false;
      let lines: string[];
      try {
        lines = read();
      } catch {
        return; // the pod is gone: its log with it
      }
      const fresh = lines.slice(overlap(sent, lines));
      sent = lines;
      if (fresh.length) yield { lines: fresh };
      if (gone) return;
    }
  } finally {
    o.signal?.removeEventListener("abort", poke);
    watch.close();
  }
}

export const podsRouter = createTRPCRouter({
  list: tenantProcedure("viewer")
    .input(
      z
        .object({
          ...namespaceField,
          limit: z.number().int().min(1).max(500).default(50),
          cursor: engineCursorSchema,
          deployment: refSchema.optional(),
          phase: phaseSchema.optional(),
          node: refSchema.optional(),
        })
        .strict(),
    )
    .output(pageOf(podViewSchema))
    .query(({ ctx, input }) => listPodsWithHealth(ctx.services.engine, ctx.tenant.id, input, ctx.services.clock.now())),

  get: tenantProcedure("viewer")
    .input(byName)
    .output(podViewSchema)
    .query(({ ctx, input }) =>
      getPodWithHealth(ctx.services.engine, ctx.tenant.id, input.name, ctx.services.clock.now(), input),
    ),

  /** The container's latest log lines (modelled by the simulated node agent). */
  logs: tenantProcedure("viewer")
    .input(logsInput)
    .output(z.object({ lines: z.array(z.string()) }))
    .query(({ ctx, input }) => ({
      lines: ctx.services.engine.getPodLogs(ctx.tenant.id, input.name, input.container, { namespace: input.namespace }),
    })),

  /** The log, then its new lines as the pod changes, until the pod is deleted (`cloudctl logs -f`). */
  followLogs: tenantProcedure("viewer")
    .input(logsInput)
    .subscription(async ({ ctx, input, signal }) => {
      // Resolved before the stream starts, so a missing (or another tenant's) pod is NOT_FOUND.
      const pod = ctx.services.engine.getPod(ctx.tenant.id, input.name, { namespace: input.namespace });
      ctx.services.engine.getPodLogs(ctx.tenant.id, pod.name, input.container, { namespace: pod.namespace });
      return followPodLogs({
        engine: ctx.services.engine,
        tenantId: ctx.tenant.id,
        name: pod.name,
        namespace: pod.namespace,
        container: input.container,
        signal,
      });
    }),

  delete: tenantProcedure("member")
    .input(
      z
        .object({
          ...namespaceField,
          name: refSchema,
          gracePeriodSeconds: z.number().int().min(0).max(3600).optional(),
        })
        .strict(),
    )
    .output(z.void())
    .mutation(({ ctx, input }) =>
      ctx.services.engine.deletePod(ctx.tenant.id, input.name, {
        gracePeriodSeconds: input.gracePeriodSeconds,
        namespace: input.namespace,
      }),
    ),

  /** Make-before-break move to another node of the tenant; the copy is made in the pod's namespace. */
  migrate: tenantProcedure("member")
    .input(z.object({ ...namespaceField, name: refSchema, node: refSchema }).strict())
    .output(z.object({ uid: z.string(), name: z.string(), namespace: z.string(), resourceVersion: z.string() }))
    .mutation(async ({ ctx, input }) => {
      const copy = await ctx.services.engine.movePod(ctx.tenant.id, input.name, input.node, {
        namespace: input.namespace,
      });
      return { ...copy, ...wireMeta(copy) };
    }),
});
