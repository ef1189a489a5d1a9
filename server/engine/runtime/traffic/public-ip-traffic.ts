/**
 * The traffic model's public NICs for one step: each bound public IP's flows across the public
 * network, capped at the bandwidth bought (spec.bandwidthMbps) both ways, and its report
 * (PublicIpTrafficReport): achieved, offered from outside (what DDoS protection measures) and
 * black-holed. Made only for public IPs a flow touches; the report lists every bound one.
 *
 * Order within a step (traffic-model.ts): flows are filed as they are decided; `capEgress` runs
 * before the nodes' egress shaping (a pod cannot send more through its public NIC than it bought),
 * `capIngress` after it and before the ingress shaping (nor receive more), `reports` last.
 * A cap's excess is counted as `rate-limit` at the pod, in that direction, as the HTB maximum is.
 */
import type { Ipv4 } from "../../network/ipv4";
import type { PublicIpBinding } from "../../network/public-ip-network";
import type { FlowState, PodReports, PodState } from "./pod-state";
import type { PublicIpTrafficReport } from "./traffic-report";

/** The bound public IPs as the model reads them (PublicIpNetwork implements it over the committed bindings). */
export interface PublicIpDirectory {
  bindingAt(ip: Ipv4): PublicIpBinding | undefined;
  podBinding(tenantId: string, privateIp: Ipv4): PublicIpBinding | undefined;
  allBindings(): Iterable<PublicIpBinding>;
}

interface Filed {
  readonly flow: FlowState;
  readonly pod: PodState;
}

interface Account {
  readonly binding: PublicIpBinding;
  /** Sent from the holder through this address. */
  readonly out: Filed[];
  /** Arriving at the holder through this address (delivered flows). */
  readonly in: Filed[];
  /** Sent toward this address from outside, delivered or not (what DDoS protection measures). */
  readonly offered: FlowState[];
  /** Dropped at the edge because the address is black-holed. */
  readonly blackholed: FlowState[];
  /** Measured after the sources' egress, before this NIC's cap: packets/s and bits/s offered, black-holed. */
  offeredPps: number;
  offeredBps: number;
  blackholedPps: number;
}

export class PublicIpTraffic {
  private readonly accounts = new Map<Ipv4, Account>();

  constructor(private readonly directory: PublicIpDirectory | undefined) {}

  /** The public IP bound to the source pod (its public NIC), if any. */
  sourceBinding(tenantId: string, privateIp: Ipv4): PublicIpBinding | undefined {
    return this.directory?.podBinding(tenantId, privateIp);
  }

  /** The bound public IP at a destination address, if any. */
  destinationBinding(ip: Ipv4): PublicIpBinding | undefined {
    return this.directory?.bindingAt(ip);
  }

  sent(binding: PublicIpBinding, flow: FlowState, pod: PodState): void {
    this.account(binding).out.push({ flow, pod });
  }

  /** A flow toward a public IP from outside; `holder` set when it is delivered to that pod. */
  offered(binding: PublicIpBinding, flow: FlowState, holder: PodState | undefined): void {
    const a = this.account(binding);
    a.offered.push(flow);
    if (holder !== undefined) a.in.push({ flow, pod: holder });
  }

  blackholed(binding: PublicIpBinding, flow: FlowState): void {
    const a = this.account(binding);
    a.offered.push(flow);
    a.blackholed.push(flow);
  }

  /** Before the egress shaping: each public NIC's outgoing flows within its bandwidth. */
  capEgress(reports: PodReports): void {
    for (const a of this.accounts.values()) {
      let bits = 0;
      for (const { flow } of a.out) bits += flow.offeredPps * flow.packetBytes * 8;
      if (bits <= a.binding.bitsPerSecond) continue;
      const keep = a.binding.bitsPerSecond / bits;
      for (const { flow, pod } of a.out) {
        const dropped = flow.offeredPps * (1 - keep);
        flow.offeredPps -= dropped;
        flow.container.txDropsPerSecond += dropped;
        reports.recordDrop(pod, "egress", "rate-limit", dropped, dropped * flow.packetBytes);
      }
    }
  }

  /** After the egress shaping: what reached each address from outside, then its incoming flows within its bandwidth. */
  capIngress(reports: PodReports): void {
    for (const a of this.accounts.values()) {
      for (const flow of a.offered) {
        a.offeredPps += flow.sentPps;
        a.offeredBps += flow.sentPps * flow.packetBytes * 8;
      }
      for (const flow of a.blackholed) a.blackholedPps += flow.sentPps;
      let bits = 0;
      for (const { flow } of a.in) bits += flow.sentPps * flow.packetBytes * 8;
      if (bits <= a.binding.bitsPerSecond) continue;
      const keep = a.binding.bitsPerSecond / bits;
      for (const { flow, pod } of a.in) {
        const dropped = flow.sentPps * (1 - keep);
        flow.sentPps -= dropped;
        const first = reports.reportOf(pod).containers[0];
        if (first) first.rxDropsPerSecond += dropped;
        reports.recordDrop(pod, "ingress", "rate-limit", dropped, dropped * flow.packetBytes);
      }
    }
  }

  /** Every bound public IP's report, after the ingress shaping. */
  reports(now: number, blackholedUntil: (ip: Ipv4, now: number) => number | undefined): PublicIpTrafficReport[] {
    const out: PublicIpTrafficReport[] = [];
    if (this.directory === undefined) return out;
    for (const b of this.directory.allBindings()) {
      const a = this.accounts.get(b.ip);
      const r: PublicIpTrafficReport = {
        tenantId: b.tenantId,
        namespace: b.namespace,
        name: b.name,
        address: b.address,
        rxBitsPerSecond: 0,
        txBitsPerSecond: 0,
        rxPacketsPerSecond: 0,
        txPacketsPerSecond: 0,
        offeredRxPacketsPerSecond: 0,
        offeredRxBitsPerSecond: 0,
        blackholedPacketsPerSecond: 0,
        blackholed: blackholedUntil(b.ip, now) !== undefined,
      };
      if (a !== undefined) {
        for (const { flow } of a.out) {
          r.txPacketsPerSecond += flow.sentPps;
          r.txBitsPerSecond += flow.sentPps * flow.packetBytes * 8;
        }
        for (const { flow, pod } of a.in) {
          const pps = flow.sentPps * (pod.rxKeep ?? 1);
          r.rxPacketsPerSecond += pps;
          r.rxBitsPerSecond += pps * flow.packetBytes * 8;
        }
        r.offeredRxPacketsPerSecond = a.offeredPps;
        r.offeredRxBitsPerSecond = a.offeredBps;
        r.blackholedPacketsPerSecond = a.blackholedPps;
      }
      out.push(r);
    }
    return out;
  }

  private account(binding: PublicIpBinding): Account {
    let a = this.accounts.get(binding.ip);
    if (a === undefined) {
      a = { binding, out: [], in: [], offered: [], blackholed: [], offeredPps: 0, offeredBps: 0, blackholedPps: 0 };
      this.accounts.set(binding.ip, a);
    }
    return a;
  }
}
