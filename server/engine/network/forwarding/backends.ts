/**
 * From a service's EndpointSlices to the backends one service port forwards to, by
 * kube-proxy's rules (pkg/proxy: EndpointSliceCache, CategorizeEndpoints): an endpoint serves
 * a service port when its slice lists a port of that name and protocol; the ready endpoints
 * are used, and only when none is ready, the serving-and-terminating ones (so connections are
 * not refused while a rollout drains the last pods). Conditions left unset read as Kubernetes
 * reads them: ready true, serving = ready, terminating false. The same address and port
 * listed twice (two slices during a move) is one backend. Backends are sorted by address then
 * port, so a given set always yields the same arrays and the same choice per flow.
 */
import { type Ipv4, parseIpv4 } from "../ipv4";
import type { EndpointSlice } from "./endpoint-slices";
import type { ServiceProtocol } from "./service";

/** One address of a service's endpoints, with the ports its slice gives it. */
export interface ServiceEndpoint {
  readonly ip: Ipv4;
  readonly ready: boolean;
  readonly serving: boolean;
  readonly terminating: boolean;
  readonly ports: readonly { readonly name: string; readonly protocol: ServiceProtocol; readonly port: number }[];
}

/** A service port's backends as parallel arrays (address i forwards to port i). */
export interface Backends {
  readonly ips: Uint32Array;
  readonly ports: Uint16Array;
}

/** Flattens a service's slices into its endpoints (one per address). */
export function endpointsFromSlices(slices: readonly EndpointSlice[]): ServiceEndpoint[] {
  const out: ServiceEndpoint[] = [];
  for (const s of slices)
    for (const e of s.endpoints) {
      const c = e.conditions as Partial<EndpointSlice["endpoints"][number]["conditions"]>;
      const ready = c.ready ?? true;
      for (const a of e.addresses)
        out.push({
          ip: parseIpv4(a),
          ready,
          serving: c.serving ?? ready,
          terminating: c.terminating ?? false,
          ports: s.ports,
        });
    }
  return out;
}

/** The backends of service port (name, protocol) among `endpoints`. */
export function backendsFor(
  endpoints: readonly ServiceEndpoint[],
  portName: string,
  protocol: ServiceProtocol,
): Backends {
  const ready: number[] = [];
  const fallback: number[] = [];
  for (const e of endpoints) {
    const port = e.ports.find((p) => p.name === portName && p.protocol === protocol)?.port;
    if (port === undefined) continue;
    // Packed as ip * 2^16 + port (< 2^48): sorting numbers sorts by address, then port.
    if (e.ready) ready.push(e.ip * 65536 + port);
    else if (e.serving && e.terminating) fallback.push(e.ip * 65536 + port);
  }
  const chosen = ready.length > 0 ? ready : fallback;
  chosen.sort((a, b) => a - b);
  let n = 0;
  for (let i = 0; i < chosen.length; i++) if (i === 0 || chosen[i] !== chosen[i - 1]) chosen[n++] = chosen[i] as number;
  const ips = new Uint32Array(n);
  const ports = new Uint16Array(n);
  for (let i = 0; i < n; i++) {
    const packed = chosen[i] as number;
    ips[i] = Math.floor(packed / 65536);
    ports[i] = packed % 65536;
  }
  return { ips, ports };
}
