/**
 * Metering: derives resource lifetimes from the engine's committed batches.
 *
 * Guarantees (the hook runs inside the engine's commit transaction, see db/engine-store.ts):
 * - A pod is metered from its bind time (`scheduledAt`) while it holds a node (bound and not
 *   Succeeded/Failed), until the first committed batch in which it no longer does (terminal
 *   phase or delete); that batch's engine time `at` ends the meter. A VM (node, warm standbys
 *   included) is metered from `createdAt` until the batch that deletes it; a public IP from
 *   `createdAt` until its delete, bound or not, one meter per bandwidth (public-ip-meters.ts).
 * - Exactly as durable as the engine's change: both commit or neither does, so a crash can
 *   neither lose nor duplicate usage.
 * - Idempotent: meters are keyed by (resource, start); usage records by (meter, segment
 *   start); ending a meter touches open meters only. Replaying or duplicating any batch,
 *   in any order after the original, changes nothing.
 * - Months split exactly: usage records never cross a calendar-month boundary (UTC).
 * - A meter never starts before the "meter floor" (the end of the month being or already
 *   closed), so a closed invoice is never changed by a late commit; see README.
 */
import type { BatchHook } from "@/db/engine-store";
import {
  advanceMeters,
  findOpenMeters,
  insertMeters,
  insertUsage,
  readCursor,
  type MeterRow,
  type UsageRow,
} from "@/db/queries/billing-metering";
import type { Database } from "@/db/client";
import type { MachineType, Node, Pod, WriteBatch } from "../engine";
import { holdsNode, MACHINE_TYPES } from "../engine";
import { splitByMonth } from "./period";
import { type MeteredPublicIp, publicIpMeterChanges } from "./public-ip-meters";

export const METER_FLOOR = "meter_floor";

/** The VM's machine type: its instance-type label (set by the provisioner), else its capacity. */
export function machineTypeOf(node: Node): MachineType {
  const label = node.labels["node.kubernetes.io/instance-type"];
  if (label && label in MACHINE_TYPES) return label as MachineType;
  const found = (Object.keys(MACHINE_TYPES) as MachineType[]).find(
    (m) => MACHINE_TYPES[m].cpuMillis === node.capacity.cpuMillis,
  );
  return found ?? "2c4g";
}

/** `web-5d9c7-abcde` → `web` (the deployment's name, from the pod naming rule). */
export function deploymentNameOf(pod: Pod): string | null {
  if (!pod.deploymentId) return null;
  const m = /^(.*)-[^-]+-[^-]+$/.exec(pod.name);
  return m?.[1] ?? pod.name;
}

function podMeter(p: Pod, at: number): MeterRow {
  const start = p.scheduledAt ?? at;
  return {
    id: `pod:${p.id}@${start}`,
    resourceId: p.id,
    tenantId: p.tenantId,
    kind: "pod",
    name: p.name,
    startAt: start,
    billedFrom: start,
    endAt: null,
    cpuMillis: p.requests.cpuMillis,
    memoryBytes: p.requests.memoryBytes,
    machineType: null,
    deploymentId: p.deploymentId ?? null,
    deploymentName: deploymentNameOf(p),
    address: null,
    bandwidthMbps: 0,
  };
}

function nodeMeter(n: Node): MeterRow {
  return {
    id: `node:${n.id}@${n.createdAt}`,
    resourceId: n.id,
    tenantId: n.tenantId,
    kind: "node",
    name: n.name,
    startAt: n.createdAt,
    billedFrom: n.createdAt,
    endAt: null,
    cpuMillis: n.capacity.cpuMillis,
    memoryBytes: n.capacity.memoryBytes,
    machineType: machineTypeOf(n),
    deploymentId: null,
    deploymentName: null,
    address: null,
    bandwidthMbps: 0,
  };
}

export interface MeterChanges {
  /** Lifetimes that (may) begin. */
  opens: MeterRow[];
  /** Resources that stopped: their open meters end. */
  ends: string[];
  /** Public IPs written: whether a meter opens or ends depends on their open meter. */
  publicIps: MeteredPublicIp[];
}

/** What one batch means for meters. */
export function deriveMeterChanges(batch: WriteBatch, at: number): MeterChanges {
  const opens: MeterRow[] = [];
  const ends: string[] = [];
  const publicIps: MeteredPublicIp[] = [];
  for (const op of batch.ops) {
    if (op.op === "upsert") {
      const o = op.object;
      if (o.kind === "Pod") {
        if (holdsNode(o)) opens.push(podMeter(o, at));
        else if (o.nodeId !== undefined) ends.push(o.id);
      } else if (o.kind === "Node") opens.push(nodeMeter(o));
      else if (o.kind === "PublicIP") publicIps.push(o);
    } else if (op.kind === "Pod" || op.kind === "Node" || op.kind === "PublicIP") ends.push(op.id);
  }
  return { opens, ends, publicIps };
}

/** Usage records covering [meter.billedFrom, until), one per month segment. */
export function usageFor(meter: MeterRow, until: number): UsageRow[] {
  return splitByMonth(meter.billedFrom, until).map((s) => ({
    id: `${meter.id}#${s.start}`,
    meterId: meter.id,
    tenantId: meter.tenantId,
    kind: meter.kind,
    period: s.period,
    startAt: s.start,
    endAt: s.end,
    cpuMillis: meter.cpuMillis,
    memoryBytes: meter.memoryBytes,
    machineType: meter.machineType,
    deploymentId: meter.deploymentId,
    deploymentName: meter.deploymentName,
    address: meter.address,
    bandwidthMbps: meter.bandwidthMbps,
  }));
}

/** Applies one batch's metering facts through `tx` (the engine's commit transaction). */
export async function meterBatch(tx: Database, batch: WriteBatch): Promise<void> {
  const at = batch.at ?? Date.now();
  const { opens, ends, publicIps } = deriveMeterChanges(batch, at);
  if (opens.length === 0 && ends.length === 0 && publicIps.length === 0) return;
  // Serialises with a month close (which moves the floor): see close.ts.
  const floor = (await readCursor(tx, METER_FLOOR, "share")) ?? 0;
  const ending: MeterRow[] = [];
  if (publicIps.length > 0) {
    const deleted = new Set(ends);
    const written = publicIps.filter((ip) => !deleted.has(ip.id));
    const changes = publicIpMeterChanges(
      written,
      await findOpenMeters(tx, [...new Set(written.map((ip) => ip.id))]),
      at,
    );
    opens.push(...changes.opens);
    ending.push(...changes.ends);
  }
  if (opens.length > 0) {
    for (const m of opens) if (m.billedFrom < floor) m.billedFrom = floor;
    await insertMeters(tx, opens);
  }
  // Looked up after the inserts: a pod bound and stopped in one batch is opened, then ended.
  if (ends.length > 0) ending.push(...(await findOpenMeters(tx, ends)));
  if (ending.length > 0) {
    const usage: UsageRow[] = [];
    const byEnd = new Map<number, string[]>();
    for (const m of ending) {
      const end = Math.max(at, m.billedFrom);
      usage.push(...usageFor(m, end));
      const ids = byEnd.get(end) ?? [];
      ids.push(m.id);
      byEnd.set(end, ids);
    }
    await insertUsage(tx, usage);
    for (const [end, ids] of byEnd) await advanceMeters(tx, ids, end, end);
  }
}

export const meteringHook: BatchHook = meterBatch;
