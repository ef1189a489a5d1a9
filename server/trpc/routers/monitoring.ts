/** Charts and usage: tenant-scoped series, usage against requests and limits, top pods; operators over all. */
import { z } from "zod";
import { createAlertRule, deleteAlertRule, listAlertRules } from "@/db/queries/alerts";
import { readBusiestTenants, readLatestSamples, readSeries, readTopPods } from "@/db/queries/monitoring-read";
import { listTenantNames } from "@/db/queries/tenancy";
import { operatorScope, tenantScope } from "@/db/scope";
import { isEngineError, parseCpu, parseMemory, SAMPLE_FIELDS } from "../../engine";
import type { Orchestrator } from "../../engine/api/orchestrator";
import { AppError } from "../../errors";
import { podNetworkView, readPodNetwork } from "../../monitoring/pod-network";
import { rangeMs, rangeSchema, resolveTarget, targetSchema } from "../../monitoring/targets";
import { createTRPCRouter, operatorProcedure, tenantProcedure } from "../init";
import { idSchema, refSchema } from "../schemas";
import { namespaceField } from "./namespaces";
import { okView } from "../views/common";
import {
  alertRuleView,
  busiestTenantsView,
  podUsageView,
  revisionSeriesView,
  seriesView,
  topPodsView,
} from "../views/monitoring";

const metricSchema = z.enum(SAMPLE_FIELDS);

export const monitoringRouter = createTRPCRouter({
  /** One metric of a deployment, revision, pod, container, node or the tenant over a range. */
  series: tenantProcedure("viewer")
    .input(z.object({ target: targetSchema, metric: metricSchema, range: rangeSchema }).strict())
    .output(seriesView)
    .query(async ({ ctx, input }) => {
      const { level, key } = await resolveTarget(ctx.services.db, ctx.services.engine, ctx.tenant.id, input.target);
      const to = ctx.services.clock.now();
      return readSeries(ctx.services.db, {
        level,
        key,
        scope: tenantScope(ctx.tenant.id),
        metric: input.metric,
        from: to - rangeMs[input.range],
        to,
        sampleIntervalMs: ctx.services.monitoring.intervalMs,
      });
    }),

  /** Each kept revision of a deployment over the same range: before and after a rollout. */
  compareRevisions: tenantProcedure("viewer")
    .input(z.object({ deployment: refSchema, metric: metricSchema, range: rangeSchema }).strict())
    .output(revisionSeriesView)
    .query(async ({ ctx, input }) => {
      const revisions = ctx.services.engine.listRevisions(ctx.tenant.id, input.deployment);
      const to = ctx.services.clock.now();
      return Promise.all(
        revisions.map(async (rs) => ({
          revision: rs.revision,
          image: rs.template.spec.containers[0]?.image ?? "",
          ...(await readSeries(ctx.services.db, {
            level: "revision",
            key: rs.id,
            scope: tenantScope(ctx.tenant.id),
            metric: input.metric,
            from: to - rangeMs[input.range],
            to,
            sampleIntervalMs: ctx.services.monitoring.intervalMs,
          })),
        })),
      );
    }),

  /** Latest usage of each container of a deployment's (or the named) pods, with its requests and limits. */
  usage: tenantProcedure("viewer")
    .input(z.object({ deployment: refSchema.optional(), pods: z.array(refSchema).max(100).optional() }).strict())
    .output(podUsageView)
    .query(async ({ ctx, input }) => {
      const engine = ctx.services.engine;
      const pods = input.deployment
        ? engine.listPods(ctx.tenant.id, { deployment: input.deployment, limit: 500 }).items
        : (input.pods ?? []).map((p) => engine.getPod(ctx.tenant.id, p));
      const latest = await readLatestSamples(
        ctx.services.db,
        ctx.tenant.id,
        pods.map((p) => p.id),
      );
      return pods.map((pod) => ({
        pod: pod.name,
        containers: pod.spec.containers.map((c) => {
          const sample = latest.find((l) => l.podId === pod.id && l.container === c.name);
          return {
            name: c.name,
            requests: {
              cpuMillis: parseCpu(c.resources.requests.cpu),
              memoryBytes: parseMemory(c.resources.requests.memory),
            },
            limits: {
              cpuMillis: c.resources.limits.cpu ? parseCpu(c.resources.limits.cpu) : null,
              memoryBytes: c.resources.limits.memory ? parseMemory(c.resources.limits.memory) : null,
            },
            usage: sample
              ? { at: sample.at, cpuMillis: sample.values.cpuMillis, memoryBytes: sample.values.memoryWorkingSetBytes }
              : null,
          };
        }),
      }));
    }),

  /** A pod's network: its addresses, QoS, the modelled traffic now and drops by reason. */
  podNetwork: tenantProcedure("viewer")
    .input(z.object({ ...namespaceField, name: refSchema }).strict())
    .output(podNetworkView)
    .query(({ ctx, input }) => {
      const pod = ctx.services.engine.getPod(ctx.tenant.id, input.name, { namespace: input.namespace });
      const monitoring = ctx.services.monitoring;
      return readPodNetwork(
        pod,
        monitoring.podTraffic(pod.id),
        monitoring.counters.dropsOfPod(ctx.tenant.id, pod.id),
        monitoring.counters.hitsOfPod(ctx.tenant.id, pod.id),
      );
    }),

  /**
   * The busiest pods of the last full minute that still exist: a pod deleted since then has
   * rows in that minute but no page to open. Reads a few more rows than asked, to fill up.
   */
  top: tenantProcedure("viewer")
    .input(z.object({ by: z.enum(["cpu", "memory"]), limit: z.number().int().min(1).max(50).default(10) }).strict())
    .output(topPodsView)
    .query(async ({ ctx, input }) => {
      const rows = await readTopPods(
        ctx.services.db,
        ctx.tenant.id,
        input.by === "cpu" ? "cpuMillis" : "memoryWorkingSetBytes",
        Math.min(100, input.limit * 2),
      );
      return rows.filter((r) => isLivePod(ctx.services.engine, ctx.tenant.id, r.podId)).slice(0, input.limit);
    }),

  /** Operators: the cluster, a node or a tenant over a range. */
  clusterSeries: operatorProcedure
    .input(
      z
        .object({
          level: z.enum(["cluster", "node", "tenant"]),
          key: idSchema.optional(),
          metric: metricSchema,
          range: rangeSchema,
        })
        .strict(),
    )
    .output(seriesView)
    .query(({ ctx, input }) => {
      const to = ctx.services.clock.now();
      return readSeries(ctx.services.db, {
        level: input.level,
        key: input.level === "cluster" ? "cluster" : (input.key ?? ""),
        scope: operatorScope,
        metric: input.metric,
        from: to - rangeMs[input.range],
        to,
        sampleIntervalMs: ctx.services.monitoring.intervalMs,
      });
    }),

  /** Operators: the busiest tenants right now. */
  busiestTenants: operatorProcedure
    .input(z.object({ limit: z.number().int().min(1).max(50).default(10) }).strict())
    .output(busiestTenantsView)
    .query(async ({ ctx, input }) => {
      const rows = await readBusiestTenants(ctx.services.db, input.limit);
      const names = await listTenantNames(
        ctx.services.db,
        rows.map((r) => r.tenantId),
      );
      return rows.map((r) => ({ ...r, tenantName: names.get(r.tenantId) ?? null }));
    }),
});

/** True while the tenant's pod exists and is not being deleted. */
function isLivePod(engine: Orchestrator, tenantId: string, podId: string): boolean {
  try {
    return engine.getPod(tenantId, podId).deletionTimestamp === undefined;
  } catch (error) {
    if (isEngineError(error) && error.code === "NOT_FOUND") return false;
    throw error;
  }
}

/** Threshold alerts per deployment; they raise and resolve events. */
export const alertsRouter = createTRPCRouter({
  list: tenantProcedure("viewer")
    .input(z.object({}).strict().optional())
    .output(z.array(alertRuleView))
    .query(async ({ ctx }) =>
      (await listAlertRules(ctx.services.db, tenantScope(ctx.tenant.id))).map((r) => ({
        ...r,
        firing: r.firing === 1,
      })),
    ),

  create: tenantProcedure("member")
    .input(
      z
        .object({
          deployment: refSchema,
          kind: z.enum(["cpu_over_request", "restarts"]),
          threshold: z.number().min(0).max(100_000),
          forSeconds: z.number().int().min(0).max(86_400).default(300),
        })
        .strict(),
    )
    .output(alertRuleView)
    .mutation(async ({ ctx, input }) => {
      const d = ctx.services.engine.getDeployment(ctx.tenant.id, input.deployment);
      const rule = await createAlertRule(ctx.services.db, {
        tenantId: ctx.tenant.id,
        deploymentId: d.id,
        deploymentName: d.name,
        kind: input.kind,
        threshold: input.threshold,
        forSeconds: input.forSeconds,
        now: ctx.services.clock.now(),
      });
      return { ...rule, firing: rule.firing === 1 };
    }),

  delete: tenantProcedure("member")
    .input(z.object({ id: idSchema }).strict())
    .output(okView)
    .mutation(async ({ ctx, input }) => {
      if (!(await deleteAlertRule(ctx.services.db, ctx.tenant.id, input.id)))
        throw new AppError("NOT_FOUND", "Alert rule not found.");
      return { ok: true as const };
    }),
});
