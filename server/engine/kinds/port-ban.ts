/**
 * Kind PortBan (cloud.tenant.io/v1, cluster-wide, short name `pb`): one entry of the operator's
 * L4 blocklist (network/security/blocklist.ts): a TCP/UDP port range banned for every tenant,
 * everywhere or only across the public network. Operators write them; tenants may read them
 * (so a dropped flow's reason can be looked up). Its name is the entry's id.
 *
 * Guarantees:
 * - Not a tenant's object: stored under PORT_BAN_OWNER, which is no tenant's id, names unique
 *   across the cluster; no tenant command writes one.
 * - A committed change rebuilds the blocklist the flow decision reads (engine-security-state.ts,
 *   fed every committed batch by the core).
 */
import { z } from "zod";
import type { BlocklistEntry, BlocklistScope } from "../network/security/blocklist";
import type { KindDefinition } from "./definition";
import { metadataFieldGetters } from "./definition";
import { ENGINE_API_GROUP, ENGINE_API_VERSION, type KubeObject, managedFieldsInput, objectMeta } from "./kubernetes";
import { ageColumn, nameColumn } from "./printers";
import type { ManagedMeta, ObjectMeta } from "./types";
import { metadataSchema } from "./validation";

/** The owner recorded on every PortBan (a tenant id never has a colon). */
export const PORT_BAN_OWNER = "system:operator";

export interface PortBanSpec {
  protocol: "tcp" | "udp";
  portRangeMin: number;
  portRangeMax: number;
  /** Absent: "all" (banned everywhere). */
  scope?: BlocklistScope;
  /** Shown to tenants whose traffic it drops. */
  reason: string;
}

export interface PortBan extends ObjectMeta, ManagedMeta {
  kind: "PortBan";
  spec: PortBanSpec;
}

export const portBanSchema = z.strictObject({
  name: z.string().max(253),
  ...metadataSchema.shape,
  spec: z.strictObject({
    protocol: z.string().max(16),
    portRangeMin: z.number().int(),
    /** Absent: portRangeMin (one port). */
    portRangeMax: z.number().int().optional(),
    scope: z.string().max(16).optional(),
    reason: z.string().max(1024),
  }),
  /** Replace only the object at this resourceVersion (optimistic concurrency). */
  resourceVersion: z.number().int().min(0).optional(),
  managedFields: managedFieldsInput,
});
export type PortBanInput = z.input<typeof portBanSchema>;

/** The blocklist entry of a stored ban. */
export const blocklistEntryOf = (b: PortBan): BlocklistEntry => ({ id: b.name, ...b.spec });

const portsText = (s: PortBanSpec) =>
  s.portRangeMin === s.portRangeMax ? `${s.portRangeMin}` : `${s.portRangeMin}-${s.portRangeMax}`;

export function portBanToKubernetes(b: PortBan): KubeObject {
  return {
    apiVersion: ENGINE_API_VERSION,
    kind: "PortBan",
    metadata: objectMeta(b),
    spec: { ...b.spec, scope: b.spec.scope ?? "all" },
  };
}

export const portBanKind: KindDefinition<"PortBan"> = {
  kind: "PortBan",
  apiKind: "PortBan",
  group: ENGINE_API_GROUP,
  version: "v1",
  apiVersion: ENGINE_API_VERSION,
  plural: "portbans",
  singular: "portban",
  shortNames: ["pb"],
  namespaced: false,
  nameScope: "global",
  categories: [],
  inputSchema: portBanSchema,
  fieldGetters: { ...metadataFieldGetters<PortBan>(), "spec.protocol": (b) => b.spec.protocol },
  printerColumns: [
    nameColumn<PortBan>(),
    { name: "Protocol", type: "string", priority: 0, description: "tcp or udp.", cell: (b) => b.spec.protocol },
    {
      name: "Ports",
      type: "string",
      priority: 0,
      description: "The banned port range.",
      cell: (b) => portsText(b.spec),
    },
    {
      name: "Scope",
      type: "string",
      priority: 0,
      description: "all: everywhere; public: only across the public network.",
      cell: (b) => b.spec.scope ?? "all",
    },
    ageColumn<PortBan>(),
    { name: "Reason", type: "string", priority: 1, description: "Why the port is banned.", cell: (b) => b.spec.reason },
  ],
  toKubernetes: portBanToKubernetes,
};
