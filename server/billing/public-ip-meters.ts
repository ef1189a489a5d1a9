/**
 * Public IP meters: a PublicIP is billed from its creation (the address allocated) until its
 * deletion (released), bound or not, at the bandwidth bought.
 *
 * Guarantees (the caller, metering.ts, applies them inside the engine's commit transaction):
 * - One open meter per public IP, keyed `publicip:<id>@<start>`: the first starts at the
 *   object's `createdAt`; a change of `spec.bandwidthMbps` committed at `at` ends the open
 *   meter there and opens `publicip:<id>@<at>` at the new bandwidth.
 * - Idempotent under replay: an upsert with the open meter's bandwidth changes nothing; one
 *   whose batch is not later than the open meter's start (a replay of an older batch, or a
 *   duplicate of the change itself) changes nothing; one with no open meter opens the first
 *   meter again, whose key already exists once the IP was metered, so it inserts nothing.
 */
import type { MeterRow } from "@/db/queries/billing-metering";
import type { PublicIp } from "../engine";

/** What billing reads of a PublicIP: identity, creation, the bandwidth bought and the address held. */
export type MeteredPublicIp = Pick<PublicIp, "id" | "tenantId" | "name" | "createdAt"> & {
  spec: Pick<PublicIp["spec"], "bandwidthMbps">;
  status: Pick<PublicIp["status"], "address">;
};

export const PUBLIC_IP_METER_KIND = "publicip";

export function publicIpMeter(ip: MeteredPublicIp, start: number): MeterRow {
  return {
    id: `${PUBLIC_IP_METER_KIND}:${ip.id}@${start}`,
    resourceId: ip.id,
    tenantId: ip.tenantId,
    kind: PUBLIC_IP_METER_KIND,
    name: ip.name,
    startAt: start,
    billedFrom: start,
    endAt: null,
    cpuMillis: 0,
    memoryBytes: 0,
    machineType: null,
    deploymentId: null,
    deploymentName: null,
    address: ip.status.address,
    bandwidthMbps: ip.spec.bandwidthMbps,
  };
}

/**
 * The meters to open and the open meters to end for public IPs upserted at `at`, given the
 * open public IP meters of those IPs. The last upsert of an IP in a batch is its state.
 */
export function publicIpMeterChanges(
  upserted: readonly MeteredPublicIp[],
  openMeters: readonly MeterRow[],
  at: number,
): { opens: MeterRow[]; ends: MeterRow[] } {
  const latest = new Map<string, MeteredPublicIp>();
  for (const ip of upserted) latest.set(ip.id, ip);
  const openOf = new Map<string, MeterRow>();
  for (const m of openMeters) {
    const seen = openOf.get(m.resourceId);
    if (m.kind === PUBLIC_IP_METER_KIND && (!seen || m.startAt > seen.startAt)) openOf.set(m.resourceId, m);
  }
  const opens: MeterRow[] = [];
  const ends: MeterRow[] = [];
  for (const ip of latest.values()) {
    const current = openOf.get(ip.id);
    if (!current) opens.push(publicIpMeter(ip, ip.createdAt));
    else if (current.bandwidthMbps !== ip.spec.bandwidthMbps && at > current.startAt) {
      ends.push(current);
      opens.push(publicIpMeter(ip, at));
    }
  }
  return { opens, ends };
}
