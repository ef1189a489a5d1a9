/**
 * Names of invoice-line resources, shared by rating, export and the billing pages (pure, no
 * database: the browser imports it). A resource string says what is charged and carries what
 * a reader needs to recognise it, as `node:<machineType>` does for VMs:
 * - `cpu`, `memory`: pods' requests; `node:<machineType>`: VM-hours;
 * - `publicip:<address>:<mbps>`: hours a public IP is held (bound or not) at that bandwidth;
 * - `bandwidth:<address>:<mbps>`: the bandwidth bought on it, in Mbit/s-hours.
 * A public IP whose bandwidth changed in a period has one pair of lines per bandwidth.
 */

export type PublicIpCharge = "publicip" | "bandwidth";

export interface PublicIpResource {
  charge: PublicIpCharge;
  address: string;
  bandwidthMbps: number;
}

/** How the pages and the daily chart group lines. */
export type ResourceGroup = "cpu" | "memory" | "nodes" | "publicIps" | "bandwidth";

export function publicIpResource(charge: PublicIpCharge, address: string, bandwidthMbps: number): string {
  return `${charge}:${address}:${bandwidthMbps}`;
}

/** The public IP a line charges for, or null for any other resource. */
export function parsePublicIpResource(resource: string): PublicIpResource | null {
  const m = /^(publicip|bandwidth):([^:]+):(\d+)$/.exec(resource);
  if (!m) return null;
  return { charge: m[1] as PublicIpCharge, address: m[2] as string, bandwidthMbps: Number(m[3]) };
}

export function resourceGroupOf(resource: string): ResourceGroup {
  if (resource === "cpu" || resource === "memory") return resource;
  if (resource.startsWith("publicip:")) return "publicIps";
  if (resource.startsWith("bandwidth:")) return "bandwidth";
  return "nodes";
}

/** Orders lines by resource; a public IP's lines by bandwidth, its bandwidth line after its hours. */
export function resourceSortKey(resource: string): string {
  const ip = parsePublicIpResource(resource);
  if (!ip) return resource;
  const mbps = String(ip.bandwidthMbps).padStart(5, "0");
  return `publicip:${ip.address}:${mbps}${ip.charge === "bandwidth" ? "|bandwidth" : ""}`;
}
