/**
 * Kind PublicIP (cloud.tenant.io/v1, namespaced, short name `pip`): one address of the operators'
 * public pool held by a tenant, bound to one of its pods (a public NIC in the container, the
 * source design) or to a LoadBalancer Service, or to nothing. The allocation, bindings and DDoS
 * glue are network/public-ip-network.ts's; the commands are api/public-ip-commands.ts's; this
 * module is the kind: its data, input, conversion, kubectl's columns, indexes and informer handler.
 *
 * Guarantees:
 * - `status.address` is given at creation and never changes for the object's life; only the engine
 *   writes `status` (a replace carries the spec only).
 * - Indexes (kept by the state incrementally, so rebuilt with every load): by address, by the pod
 *   holding it (its uid), by target (namespace, kind, name) and by the ReplicaSet a sticky binding
 *   waits on: a pod or service change finds its PublicIPs in O(1), never by a scan.
 * - A committed change (creation, deletion, spec or status) reaches PublicIpNetwork (its bindings,
 *   the pool's release after a deletion) and queues the object's binding sync.
 */
import { z } from "zod";
import type { Ctx } from "../core/context";
import type { KindDefinition } from "./definition";
import { metadataFieldGetters } from "./definition";
import {
  compact,
  ENGINE_API_GROUP,
  ENGINE_API_VERSION,
  type KubeObject,
  managedFieldsInput,
  objectMeta,
  optionalRfc3339,
} from "./kubernetes";
import { ageColumn, nameColumn } from "./printers";
import type { ManagedMeta, NamespacedMeta } from "./types";
import { dnsName, metadataSchema } from "./validation";

export type PublicIpTargetKind = "Pod" | "Service";
export const PUBLIC_IP_TARGET_KINDS: readonly PublicIpTargetKind[] = ["Pod", "Service"];

/** What a PublicIP is bound to, in its own namespace. */
export interface PublicIpTarget {
  kind: PublicIpTargetKind;
  name: string;
}

export const DEFAULT_PUBLIC_IP_BANDWIDTH_MBPS = 5;
export const MAX_PUBLIC_IP_BANDWIDTH_MBPS = 10_000;

export interface PublicIpSpec {
  /** Bandwidth bought, Mbit/s, integer 1..10000, default 5: caps the public NIC both ways; billed per Mbit/s-hour. */
  bandwidthMbps: number;
  /** What it is bound to (absent: allocated, not bound). A Service target must be type LoadBalancer. */
  target?: PublicIpTarget;
  /**
   * A Pod binding follows the pod's replacement when a move or a drain recreates it (default false:
   * the binding ends and the address stays the tenant's, unbound).
   */
  sticky?: boolean;
}

/**
 * Allocated: not bound. Bound: its target holds it now. Pending: target named but not (yet) able to
 * hold it (pod without an address yet, sticky binding waiting for the replacement pod).
 */
export type PublicIpPhase = "Allocated" | "Bound" | "Pending";

export interface PublicIpDdosStatus {
  /** Operator override: never black-holed. */
  protectionDisabled?: boolean;
  /** Epoch ms; present while black-holed. */
  blackholedUntil?: number;
  /** Epoch ms of the last blackhole's start (kept after it ends). */
  lastBlackholeAt?: number;
}

export interface PublicIpStatus {
  /** The address from the operators' pool, fixed for the object's life (dotted quad). */
  address: string;
  /** Which pool it came from (PublicIPPool name). */
  pool: string;
  phase: PublicIpPhase;
  /** The pod holding it now (Pod targets; for sticky follow-ups this is the replacement's name). */
  boundPod?: string;
  ddos: PublicIpDdosStatus;
}

/**
 * Engine bookkeeping of a Pod binding, never on the wire: the pod holding the address (or, Pending,
 * the one it waits for or last held); for a sticky binding whose holder is gone, the holder's
 * ReplicaSet and since when a replacement it creates is awaited.
 */
export interface PublicIpHolder {
  podUid: string;
  replicaSetUid?: string;
  waitingSince?: number;
}

export interface PublicIp extends NamespacedMeta, ManagedMeta {
  kind: "PublicIP";
  spec: PublicIpSpec;
  status: PublicIpStatus;
  holder?: PublicIpHolder;
}

export const publicIpTargetSchema = z.strictObject({
  kind: z.string().max(32),
  name: z.string().max(253),
});

export const publicIpSpecSchema = z.strictObject({
  bandwidthMbps: z.number().int().min(1).max(MAX_PUBLIC_IP_BANDWIDTH_MBPS).optional(),
  target: publicIpTargetSchema.optional(),
  sticky: z.boolean().optional(),
});

export const publicIpSchema = z.strictObject({
  namespace: dnsName.optional(),
  name: dnsName,
  ...metadataSchema.shape,
  spec: publicIpSpecSchema.default({}),
  /** Replace only the object at this resourceVersion (optimistic concurrency). */
  resourceVersion: z.number().int().min(0).optional(),
  managedFields: managedFieldsInput,
});
export type PublicIpInput = z.input<typeof publicIpSchema>;

/** kubectl's TARGET cell: `pod/web-1`, `service/shop`, `<none>`. */
export function publicIpTargetText(p: PublicIp): string {
  const t = p.spec.target;
  return t === undefined ? "<none>" : `${t.kind.toLowerCase()}/${t.name}`;
}

export function publicIpToKubernetes(p: PublicIp): KubeObject {
  const d = p.status.ddos;
  return {
    apiVersion: ENGINE_API_VERSION,
    kind: "PublicIP",
    metadata: objectMeta(p),
    spec: compact({
      bandwidthMbps: p.spec.bandwidthMbps,
      target: p.spec.target && { ...p.spec.target },
      sticky: p.spec.sticky,
    }),
    status: compact({
      address: p.status.address,
      pool: p.status.pool,
      phase: p.status.phase,
      boundPod: p.status.boundPod,
      ddos: compact({
        protectionDisabled: d.protectionDisabled,
        blackholedUntil: optionalRfc3339(d.blackholedUntil),
        lastBlackholeAt: optionalRfc3339(d.lastBlackholeAt),
      }),
    }),
  };
}

/** Index names (EngineState.indexed("PublicIP", …)). */
export const PUBLIC_IPS_BY_ADDRESS = "address";
export const PUBLIC_IPS_BY_HOLDER = "holderPod";
export const PUBLIC_IPS_BY_TARGET = "target";
export const PUBLIC_IPS_BY_WAITING_REPLICA_SET = "waitingReplicaSet";

/** The target index's key of (tenant, namespace, kind, name). */
export const publicIpTargetKey = (tenantId: string, namespace: string, kind: PublicIpTargetKind, name: string) =>
  `${tenantId}/${namespace}/${kind}/${name}`;

function onPublicIpChange(ctx: Ctx, b: PublicIp | undefined, a: PublicIp | undefined): void {
  ctx.publicIps.publicIpChanged(ctx, b, a);
}

export const publicIpKind: KindDefinition<"PublicIP"> = {
  kind: "PublicIP",
  apiKind: "PublicIP",
  group: ENGINE_API_GROUP,
  version: "v1",
  apiVersion: ENGINE_API_VERSION,
  plural: "publicips",
  singular: "publicip",
  shortNames: ["pip"],
  namespaced: true,
  nameScope: "namespace",
  categories: [],
  inputSchema: publicIpSchema,
  fieldGetters: {
    ...metadataFieldGetters<PublicIp>(),
    "status.phase": (p) => p.status.phase,
    "status.address": (p) => p.status.address,
    "spec.target.kind": (p) => p.spec.target?.kind ?? "",
    "spec.target.name": (p) => p.spec.target?.name ?? "",
  },
  printerColumns: [
    nameColumn<PublicIp>(),
    {
      name: "Address",
      type: "string",
      priority: 0,
      description: "The public address, from the operators' pool.",
      cell: (p) => p.status.address,
    },
    {
      name: "Bandwidth",
      type: "string",
      priority: 0,
      description: "Bandwidth bought: caps the public NIC both ways.",
      cell: (p) => `${p.spec.bandwidthMbps}Mbps`,
    },
    {
      name: "Target",
      type: "string",
      priority: 0,
      description: "What the address is bound to.",
      cell: publicIpTargetText,
    },
    {
      name: "Phase",
      type: "string",
      priority: 0,
      description: "Allocated (not bound), Bound, or Pending (its target cannot hold it yet).",
      cell: (p) => p.status.phase,
    },
    ageColumn<PublicIp>(),
    { name: "Pool", type: "string", priority: 1, description: "The pool it came from.", cell: (p) => p.status.pool },
    {
      name: "Sticky",
      type: "boolean",
      priority: 1,
      description: "A pod binding follows the pod's replacement after a move or a drain.",
      cell: (p) => p.spec.sticky === true,
    },
    {
      name: "Blackholed-Until",
      type: "string",
      priority: 1,
      description: "While DDoS protection black-holes the address: until when.",
      cell: (p) => optionalRfc3339(p.status.ddos.blackholedUntil) ?? "<none>",
    },
  ],
  toKubernetes: publicIpToKubernetes,
  indexes: [
    { name: PUBLIC_IPS_BY_ADDRESS, key: (p) => p.status.address },
    { name: PUBLIC_IPS_BY_HOLDER, key: (p) => p.holder?.podUid },
    {
      name: PUBLIC_IPS_BY_TARGET,
      key: (p) =>
        p.spec.target === undefined
          ? undefined
          : publicIpTargetKey(p.tenantId, p.namespace, p.spec.target.kind, p.spec.target.name),
    },
    {
      name: PUBLIC_IPS_BY_WAITING_REPLICA_SET,
      key: (p) => (p.holder?.waitingSince !== undefined ? p.holder.replicaSetUid : undefined),
    },
  ],
  onChange: onPublicIpChange,
};
