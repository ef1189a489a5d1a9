/**
 * Kind NodePool (the engine's own group, cluster-scoped): a tenant's group of identical VMs.
 * Its labels are the labels its nodes get. Printer columns: NAME MACHINE-TYPE MIN MAX AGE;
 * wide WARM TRIMMED-IMAGE STATIC-IP.
 */
import type { Ctx } from "../core/context";
import type { KindDefinition } from "./definition";
import { changePriority, metadataFieldGetters } from "./definition";
import { ENGINE_API_GROUP, ENGINE_API_VERSION, type KubeObject, objectMeta } from "./kubernetes";
import { ageColumn, nameColumn } from "./printers";
import type { NodePool } from "./types";
import { nodePoolSchema } from "./validation";

export function nodePoolToKubernetes(p: NodePool): KubeObject {
  return {
    apiVersion: ENGINE_API_VERSION,
    kind: "NodePool",
    metadata: objectMeta(p),
    spec: {
      machineType: p.machineType,
      minSize: p.minSize,
      maxSize: p.maxSize,
      warmPoolSize: p.warmPoolSize,
      trimmedImage: p.trimmedImage,
      staticIp: p.staticIp,
    },
  };
}

/** Informer handler: the tenant's provisioner re-plans its nodes (pool sizes and limits feed it). */
function onNodePoolChange(ctx: Ctx, b: NodePool | undefined, a: NodePool | undefined): void {
  ctx.queues.provisioner.add((a ?? b)?.tenantId ?? "", changePriority(b, a));
}

export const nodePoolKind: KindDefinition<"NodePool"> = {
  kind: "NodePool",
  apiKind: "NodePool",
  group: ENGINE_API_GROUP,
  version: "v1",
  apiVersion: ENGINE_API_VERSION,
  plural: "nodepools",
  singular: "nodepool",
  shortNames: ["np"],
  namespaced: false,
  nameScope: "tenant",
  categories: [],
  inputSchema: nodePoolSchema,
  fieldGetters: { ...metadataFieldGetters<NodePool>(), "spec.machineType": (p) => p.machineType },
  printerColumns: [
    nameColumn<NodePool>(),
    {
      name: "Machine-Type",
      type: "string",
      priority: 0,
      description: "The VM size of the pool's nodes.",
      cell: (p) => p.machineType,
    },
    { name: "Min", type: "integer", priority: 0, description: "Fewest nodes kept.", cell: (p) => p.minSize },
    {
      name: "Max",
      type: "integer",
      priority: 0,
      description: "Most nodes a scale-up may reach.",
      cell: (p) => p.maxSize,
    },
    ageColumn<NodePool>(),
    {
      name: "Warm",
      type: "integer",
      priority: 1,
      description: "Booted standby VMs kept ready.",
      cell: (p) => p.warmPoolSize,
    },
    {
      name: "Trimmed-Image",
      type: "boolean",
      priority: 1,
      description: "Boots from the trimmed image.",
      cell: (p) => p.trimmedImage,
    },
    {
      name: "Static-IP",
      type: "boolean",
      priority: 1,
      description: "Nodes keep a static address.",
      cell: (p) => p.staticIp,
    },
  ],
  toKubernetes: nodePoolToKubernetes,
  onChange: onNodePoolChange,
};
