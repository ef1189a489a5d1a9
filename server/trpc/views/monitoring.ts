/** Views of monitoring: metric series, usage against requests and limits, top pods, alert rules. */
import { z } from "zod";

const pointView = z.object({
  t: z.number(),
  /** Average (gauges) or rate per second (counters) over the step. */
  value: z.number(),
  /** Highest instantaneous value within the step. */
  max: z.number(),
});

export const seriesView = z.object({ stepMs: z.number(), points: z.array(pointView) });

export const revisionSeriesView = z.array(seriesView.extend({ revision: z.number(), image: z.string() }));

const perContainerResources = z.object({ cpuMillis: z.number(), memoryBytes: z.number() });

export const podUsageView = z.array(
  z.object({
    pod: z.string(),
    containers: z.array(
      z.object({
        name: z.string(),
        requests: perContainerResources,
        /** Null where the container sets no limit. */
        limits: z.object({ cpuMillis: z.number().nullable(), memoryBytes: z.number().nullable() }),
        usage: perContainerResources.extend({ at: z.number() }).nullable(),
      }),
    ),
  }),
);

export const topPodsView = z.array(z.object({ podId: z.string(), podName: z.string(), value: z.number() }));

export const busiestTenantsView = z.array(
  z.object({
    tenantId: z.string(),
    tenantName: z.string().nullable(),
    cpuMillis: z.number(),
    memoryBytes: z.number(),
  }),
);

export const alertRuleView = z.object({
  id: z.string(),
  deploymentId: z.string(),
  deploymentName: z.string(),
  kind: z.string(),
  threshold: z.number(),
  forSeconds: z.number(),
  /** When the condition started to hold, null while it does not. */
  pendingSince: z.number().nullable(),
  firing: z.boolean(),
  createdAt: z.number(),
});
