/** Views for the operators' cluster pages: engine stats, history, usage by tenant, every node, quotas. */
import { z } from "zod";
import { enginePage, limitsView, resourcesWithPodsView } from "./common";
import { nodeDetailView, nodeView } from "./infrastructure";

const queueDepthView = z.object({
  add: z.number(),
  update: z.number(),
  delete: z.number(),
  syncAll: z.number(),
  total: z.number(),
  processing: z.number(),
});

export const clusterStatsView = z.object({
  tenants: z.number(),
  nodes: z.number(),
  nodesByPhase: z.record(z.string(), z.number()),
  capacity: resourcesWithPodsView,
  allocated: resourcesWithPodsView,
  pods: z.number(),
  podsByPhase: z.record(z.string(), z.number()),
  podsTerminating: z.number(),
  podsAvailable: z.number(),
  deployments: z.number(),
  events: z.number(),
  queues: z.record(z.string(), queueDepthView),
  scheduler: z.object({
    algorithm: z.string(),
    attempts: z.number(),
    scheduled: z.number(),
    unschedulable: z.number(),
    nodesEvaluated: z.number(),
    tenantsWithPending: z.number(),
  }),
  engine: z.object({
    passes: z.number(),
    commits: z.number(),
    commitFailures: z.number(),
    syncErrors: z.number(),
    opsCommitted: z.number(),
    pendingWorkTimers: z.number(),
  }),
});

export const clusterHistoryView = z.array(
  z.object({
    at: z.number(),
    scheduledPerSecond: z.number(),
    queues: z.record(z.string(), z.number()),
    pods: z.number(),
    nodes: z.number(),
    pending: z.number(),
  }),
);

export const tenantUsageView = z.array(
  z.object({
    tenantId: z.string(),
    tenantName: z.string().nullable(),
    nodes: z.number(),
    capacity: resourcesWithPodsView,
    used: resourcesWithPodsView,
    pending: z.number(),
    quota: limitsView,
    deployments: z.number(),
  }),
);

/** Any tenant's node, for operators: its owner and whether a failure was injected on it. */
export const operatorNodePageView = enginePage(
  nodeView.extend({
    tenantId: z.string(),
    allocated: nodeDetailView.shape.allocated,
    agentFailed: z.boolean(),
  }),
);

/** A tenant's limits, what it uses now and what its deployments claim. */
export const quotaStatusView = z.object({
  limits: limitsView,
  used: resourcesWithPodsView.extend({ nodes: z.number(), publicIps: z.number() }),
  claimed: resourcesWithPodsView,
});

export const loadDemoView = z.object({ tenants: z.array(z.string()), created: z.array(z.string()) });
