/** Views of a tenant's infrastructure: node pools and nodes (no owner id: the caller is the owner). */
import { z } from "zod";
import { enginePage, labelsView, resourcesWithPodsView } from "./common";

const machineTypeView = z.enum(["2c4g", "4c8g", "8c16g"]);

export const nodePoolView = z.object({
  id: z.string(),
  name: z.string(),
  machineType: machineTypeView,
  minSize: z.number(),
  maxSize: z.number(),
  labels: labelsView,
  trimmedImage: z.boolean(),
  staticIp: z.boolean(),
  warmPoolSize: z.number(),
  createdAt: z.number(),
  resourceVersion: z.number(),
});
export const nodePoolPageView = enginePage(nodePoolView);

/** A node as stored: phase, scheduling flags and the times of its lifecycle. */
export const nodeView = z.object({
  id: z.string(),
  poolId: z.string(),
  name: z.string(),
  capacity: resourcesWithPodsView,
  labels: labelsView,
  phase: z.enum(["Provisioning", "Ready", "NotReady"]),
  unschedulable: z.boolean(),
  draining: z.boolean(),
  /** A booted standby: never scheduled on until promoted. */
  warm: z.boolean(),
  lastHeartbeat: z.number(),
  createdAt: z.number(),
  provisionReadyAt: z.number(),
  readyAt: z.number().optional(),
  notReadySince: z.number().optional(),
  resourceVersion: z.number(),
});

/** A node with what its pods take there and how many are still on it (drain progress). */
export const nodeDetailView = nodeView.extend({ allocated: resourcesWithPodsView, podsRemaining: z.number() });
export const nodePageView = enginePage(nodeDetailView);
export const drainView = z.object({ evicted: z.number() });
