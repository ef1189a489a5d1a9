/**
 * One node's QoS for one interval, both directions: what the simulated runtime calls with the
 * traffic its workload profiles offer (flows already summed per pod and direction), and what
 * monitoring reads back (achieved rates against guarantee and maximum, drops by reason).
 * Guarantees: each direction is shared by NicShare over the node's NIC; each pod's QoS comes
 * from its annotations (cached per template; broken ones count as unset, as the scheduler
 * counts them); the maximum reported is the effective one (the NIC when unset). Re-uses its
 * two NicShare workspaces, so a step allocates only its reports.
 */
import { MAX_PODS_PER_NODE } from "../../kinds/types";
import type { NicCapacity } from "./nic-capacity";
import { type DropReason, NicShare, type NicShareTotals } from "./nic-share";
import { cachedPodQos, type Direction, type DirectionQos } from "./qos-annotations";

/** What a pod offers in one direction: bits/s at the packets' real size, and their mean size. */
export interface TrafficOffer {
  readonly bitsPerSecond: number;
  readonly packetBytes: number;
}

export const NO_TRAFFIC: TrafficOffer = { bitsPerSecond: 0, packetBytes: 1500 };

export interface PodTraffic {
  readonly annotations: Readonly<Record<string, string>>;
  readonly ingress: TrafficOffer;
  readonly egress: TrafficOffer;
}

/** One direction of one pod over the interval, as rates (multiply by the interval for volumes). */
export interface DirectionReport {
  readonly offeredBitsPerSecond: number;
  readonly bitsPerSecond: number;
  readonly packetsPerSecond: number;
  readonly guaranteeBitsPerSecond: number;
  /** The effective maximum: the annotation's, or the NIC when unset. */
  readonly maxBitsPerSecond: number;
  readonly packetRateCap: number | undefined;
  /** Packets per second dropped, by reason. */
  readonly drops: Readonly<Record<DropReason, number>>;
}

export interface PodQosReport {
  readonly ingress: DirectionReport;
  readonly egress: DirectionReport;
}

export interface NodeQosStep {
  /** In the order of the pods given. */
  readonly pods: PodQosReport[];
  readonly ingress: NicShareTotals;
  readonly egress: NicShareTotals;
}

export class NodeQosModel {
  private readonly shares: Record<Direction, NicShare>;

  constructor(readonly maxPods = MAX_PODS_PER_NODE) {
    this.shares = { ingress: new NicShare(maxPods), egress: new NicShare(maxPods) };
  }

  step(nic: NicCapacity, pods: readonly PodTraffic[]): NodeQosStep {
    const qos = pods.map((p) => cachedPodQos(p.annotations).qos);
    const solve = (direction: Direction) => {
      const share = this.shares[direction];
      pods.forEach((p, i) => {
        const offer = p[direction];
        share.setPod(i, offer.bitsPerSecond, offer.packetBytes, (qos[i] as (typeof qos)[number])[direction]);
      });
      return share.solve(pods.length, nic);
    };
    const ingress = solve("ingress");
    const egress = solve("egress");
    const report = (direction: Direction, i: number, q: DirectionQos): DirectionReport => {
      const s = this.shares[direction];
      return {
        offeredBitsPerSecond: s.offeredBits[i] as number,
        bitsPerSecond: s.bits[i] as number,
        packetsPerSecond: s.packets[i] as number,
        guaranteeBitsPerSecond: q.guaranteeBitsPerSecond,
        maxBitsPerSecond: Math.max(
          q.guaranteeBitsPerSecond,
          Math.min(q.maxBitsPerSecond ?? nic.bitsPerSecond, nic.bitsPerSecond),
        ),
        packetRateCap: q.packetRateCap,
        drops: {
          "pps-cap": s.dropPpsCap[i] as number,
          "rate-limit": s.dropRateLimit[i] as number,
          congestion: s.dropCongestion[i] as number,
          "host-pps": s.dropHost[i] as number,
        },
      };
    };
    return {
      pods: qos.map((q, i) => ({ ingress: report("ingress", i, q.ingress), egress: report("egress", i, q.egress) })),
      ingress,
      egress,
    };
  }
}
