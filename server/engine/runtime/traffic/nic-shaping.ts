/**
 * One node's NIC in one direction for one step: each pod's flows offered together (egress:
 * what they offer; ingress: what left their sources), shared by NicShare (PPS cap, HTB
 * guarantee and maximum, MPU, host budget); every flow of a pod keeps the same fraction of its
 * packets. Receive traffic is counted on the pod's first container (one network namespace).
 */
import type { NicCapacity } from "../../network/qos/nic-capacity";
import type { NicShare } from "../../network/qos/nic-share";
import { cachedPodQos, type Direction } from "../../network/qos/qos-annotations";
import { NO_FLOWS, type PodReports, type PodState } from "./pod-state";

export function shapeNode(
  share: NicShare,
  reports: PodReports,
  nic: NicCapacity | undefined,
  pods: readonly PodState[],
  direction: Direction,
): void {
  const egress = direction === "egress";
  for (let from = 0; from < pods.length; from += share.capacity) {
    const count = Math.min(share.capacity, pods.length - from);
    for (let i = 0; i < count; i++) {
      const p = pods[from + i] as PodState;
      const flows = (egress ? p.out : p.incoming) ?? NO_FLOWS;
      let packets = 0;
      let bytes = 0;
      for (const f of flows) {
        const pps = egress ? f.offeredPps : f.sentPps;
        packets += pps;
        bytes += pps * f.packetBytes;
      }
      share.setPod(
        i,
        bytes * 8,
        packets > 0 ? bytes / packets : 1500,
        cachedPodQos(p.input.annotations).qos[direction],
      );
    }
    if (nic !== undefined) share.solve(count, nic);
    for (let i = 0; i < count; i++) {
      const p = pods[from + i] as PodState;
      const offeredBits = share.offeredBits[i] as number;
      if (offeredBits <= 0) continue;
      const size = share.packetBytes[i] as number;
      const offered = offeredBits / (size * 8);
      const delivered = nic === undefined ? offered : (share.packets[i] as number);
      const keep = delivered / offered;
      const report = reports.reportOf(p);
      const rates = egress ? report.tx : report.rx;
      rates.offeredBitsPerSecond += offeredBits;
      rates.bitsPerSecond += nic === undefined ? offeredBits : (share.bits[i] as number);
      rates.packetsPerSecond += delivered;
      if (nic !== undefined) {
        reports.qosDrop(p, direction, "pps-cap", share.dropPpsCap[i] as number, size);
        reports.qosDrop(p, direction, "rate-limit", share.dropRateLimit[i] as number, size);
        reports.qosDrop(p, direction, "congestion", share.dropCongestion[i] as number, size);
        reports.qosDrop(p, direction, "host-pps", share.dropHost[i] as number, size);
      }
      const first = report.containers[0];
      if (egress)
        for (const f of p.out ?? NO_FLOWS) {
          f.sentPps = f.offeredPps * keep;
          f.container.txPacketsPerSecond += f.sentPps;
          f.container.txBytesPerSecond += f.sentPps * f.packetBytes;
          f.container.txDropsPerSecond += f.offeredPps - f.sentPps;
        }
      else p.rxKeep = keep;
      if (!egress && first) {
        first.rxPacketsPerSecond += delivered;
        first.rxBytesPerSecond += delivered * size;
        first.rxDropsPerSecond += offered - delivered;
      }
    }
  }
}
