/** Synthetic engine objects and a store with the metering hook, for billing tests and the bench. */
import { sql } from "drizzle-orm";
import type { Database } from "@/db/client";
import { createDatabaseEngineStore } from "@/db/engine-store";
import { organization } from "@/db/schema";
import type { EngineStore, Node, Pod, PublicIp, WriteBatch } from "../engine";
import { MACHINE_TYPES, type MachineType } from "../engine";
import { meteringHook } from "./metering";

export function meteredStore(db: Database): EngineStore {
  return createDatabaseEngineStore(db, [meteringHook]);
}

export function makePod(p: {
  id: string;
  tenantId: string;
  cpuMillis: number;
  memoryBytes: number;
  scheduledAt?: number;
  phase?: Pod["status"]["phase"];
  deployment?: string;
}): Pod {
  const dep = p.deployment ?? "web";
  return {
    kind: "Pod",
    id: p.id,
    tenantId: p.tenantId,
    namespace: p.tenantId,
    name: `${dep}-abc12-${p.id.slice(-5).padStart(5, "x")}`,
    deploymentId: `dep-${p.tenantId}-${dep}`,
    labels: {},
    annotations: {},
    generation: 1,
    nodeId: p.scheduledAt === undefined ? undefined : `node-${p.tenantId}`,
    spec: { containers: [], restartPolicy: "Always", terminationGracePeriodSeconds: 30, nodeSelector: {} },
    requests: { cpuMillis: p.cpuMillis, memoryBytes: p.memoryBytes },
    status: {
      phase: p.phase ?? (p.scheduledAt === undefined ? "Pending" : "Running"),
      conditions: [],
      containerStatuses: [],
    },
    createdAt: p.scheduledAt ?? 0,
    scheduledAt: p.scheduledAt,
    resourceVersion: 1,
  };
}

export function makeNode(n: {
  id: string;
  tenantId: string;
  machineType: MachineType;
  createdAt: number;
  warm?: boolean;
}): Node {
  return {
    kind: "Node",
    id: n.id,
    tenantId: n.tenantId,
    poolId: `pool-${n.tenantId}`,
    name: n.id,
    capacity: MACHINE_TYPES[n.machineType],
    labels: {},
    annotations: {},
    generation: 1,
    phase: "Ready",
    unschedulable: false,
    draining: false,
    warm: n.warm ?? false,
    lastHeartbeat: n.createdAt,
    createdAt: n.createdAt,
    provisionReadyAt: n.createdAt + 20_000,
    resourceVersion: 1,
  };
}

/** A PublicIP as the engine commits it (the fields billing reads, and the rest of its shape). */
export function makePublicIp(p: {
  id: string;
  tenantId: string;
  address: string;
  bandwidthMbps: number;
  createdAt: number;
  name?: string;
  boundPod?: string;
}): PublicIp {
  return {
    kind: "PublicIP" as const,
    id: p.id,
    tenantId: p.tenantId,
    namespace: "default",
    name: p.name ?? p.id,
    labels: {},
    annotations: {},
    generation: 1,
    createdAt: p.createdAt,
    resourceVersion: 1,
    spec: {
      bandwidthMbps: p.bandwidthMbps,
      ...(p.boundPod ? { target: { kind: "Pod" as const, name: p.boundPod } } : {}),
    },
    status: {
      address: p.address,
      pool: "public",
      phase: p.boundPod ? ("Bound" as const) : ("Allocated" as const),
      ...(p.boundPod ? { boundPod: p.boundPod } : {}),
      ddos: {},
    },
  };
}

export const upsert = (object: Pod | Node | PublicIp, at: number): WriteBatch => ({
  ops: [{ op: "upsert", object }],
  at,
});
export const remove = (kind: "Pod" | "Node" | "PublicIP", id: string, tenantId: string, at: number): WriteBatch => ({
  ops: [{ op: "delete", kind, id, tenantId }],
  at,
});

export async function createOrganizations(db: Database, ids: string[]): Promise<void> {
  for (let i = 0; i < ids.length; i += 1000) {
    await db
      .insert(organization)
      .values(ids.slice(i, i + 1000).map((id) => ({ id, name: id, slug: id })))
      .onConflictDoNothing();
  }
}

/** Empties every billing and engine table (between property-test runs). */
export async function resetBilling(db: Database): Promise<void> {
  await db.execute(
    sql`truncate billing_meter, billing_usage, billing_cursor, billing_invoice, billing_invoice_line, billing_ledger, billing_account, billing_event, billing_price_plan, engine_object, engine_event`,
  );
}
