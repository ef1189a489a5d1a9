/** How the Services pages write a service's ports and selector, as kubectl prints them. */

export interface PortLike {
  name?: string;
  protocol: string;
  port: number;
  targetPort: number | string;
}

/** kubectl's PORT(S) cell: `80/TCP,443/TCP`. */
export function portsCell(ports: readonly PortLike[]): string {
  return ports.length === 0 ? "<none>" : ports.map((p) => `${p.port}/${p.protocol}`).join(",");
}

/** One port with where it goes: `http 80/TCP → 8080` (a named targetPort stays a name). */
export function portMapping(p: PortLike): string {
  return `${p.name ? `${p.name} ` : ""}${p.port}/${p.protocol} → ${p.targetPort}`;
}

/** Kubernetes' FormatLabels: `k=v` sorted by key, joined by commas; `<none>` when empty. */
export function selectorText(selector: Readonly<Record<string, string>> | undefined): string {
  const keys = Object.keys(selector ?? {}).sort();
  return keys.length === 0 ? "<none>" : keys.map((k) => `${k}=${selector?.[k]}`).join(",");
}

/** kubectl's EXTERNAL-IP cell in the reader's words: a LoadBalancer still waiting for its public IP reads `pending`. */
export function externalAddress(cell: string, pending: string): string {
  return cell === "<pending>" ? pending : cell;
}
