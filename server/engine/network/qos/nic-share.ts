/**
 * How one NIC direction is shared among the pods of a node, with hierarchical token bucket
 * (Linux HTB) semantics, as a fluid model of one interval (rates per second).
 *
 * Stages, per pod, in the order a transmitted packet meets them:
 * 1. Packet-rate cap: offered packets/s above the pod's cap are dropped ("pps-cap").
 * 2. Shaper (HTB, one class per pod under the NIC). Every packet costs max(size, mpu) bytes
 *    ("charged"); guarantee and maximum are charged bits/s. Each pod first gets
 *    min(demand, guarantee): always possible, since admission keeps Σ guarantees ≤ the NIC
 *    (were it ever not, the guarantees are scaled down alike and `guaranteesScaled` says so).
 *    The rest of the NIC is lent to pods still wanting more, up to each maximum, by HTB's
 *    rule: a borrowing class is served by deficit round robin with `quantum` bytes per round,
 *    and tc sets quantum = rate / r2q, so spare capacity divides in proportion to each class's
 *    rate (its guarantee), and what a class cannot use (it hit its demand or ceil) goes on to
 *    the others. That steady state is water-filling over the excess weighted by guarantee.
 *    A pod without a guarantee borrows with the weight of the smallest guarantee (1 Mbit/s):
 *    HTB needs a rate for every class and its quantum has a floor, so such pods are served,
 *    only after paying ones. (We model r2q chosen per NIC so HTB's quantum clamps of
 *    1,000..200,000 bytes never flatten the weights.) Packets above the pod's own maximum are
 *    dropped as "rate-limit"; above its share but under its maximum (the NIC is full) as
 *    "congestion".
 * 3. Host packet budget: if the shaped packets together exceed what the host's soft
 *    interrupts can encapsulate, every pod loses the same fraction ("host-pps"): overload drops
 *    are indiscriminate, which is why per-pod packet-rate caps exist.
 *
 * Guarantees (property-tested in nic-share.test.ts), while the host budget holds: achieved
 * charged rate ≥ min(charged demand, guarantee); ≤ its maximum and its demand; Σ ≤ the NIC;
 * work-conserving (if a pod is below its demand and maximum, the NIC is full); packets/s ≤
 * the cap. Always: Σ packets/s ≤ the host budget; offered = delivered + drops.
 * NicShare solves in place over typed arrays (no allocation per solve); shareNic is the
 * plain-data form.
 */
import { MAX_PODS_PER_NODE } from "../../kinds/types";
import type { NicCapacity } from "./nic-capacity";
import { type DirectionQos, MIN_POD_BANDWIDTH } from "./qos-annotations";
import { waterFill } from "./water-fill";

/** Drop reasons as monitoring and the connectivity check name them. */
export const DROP_REASONS = {
  ppsCap: "pps-cap",
  rateLimit: "rate-limit",
  congestion: "congestion",
  hostOverload: "host-pps",
} as const;
export type DropReason = (typeof DROP_REASONS)[keyof typeof DROP_REASONS];

/** The borrowing weight of a pod without a guarantee (see stage 2). */
export const MIN_BORROW_WEIGHT = MIN_POD_BANDWIDTH;

export interface NicShareTotals {
  readonly chargedBitsPerSecond: number;
  readonly packetsPerSecond: number;
  /** The host budget was exceeded and every pod lost the same fraction. */
  readonly hostOverloaded: boolean;
  /** Σ guarantees asked exceeded the NIC (admission was bypassed); guarantees were scaled. */
  readonly guaranteesScaled: boolean;
}

/**
 * Inputs and outputs for up to `capacity` pods as parallel typed arrays: fill the inputs for
 * indices 0..count-1 (setPod does it from a DirectionQos), call solve, read the outputs.
 * Drops are packets per second. `maxBits` and `packetRateCap` take Infinity for "none".
 */
export class NicShare {
  readonly offeredBits: Float64Array;
  readonly packetBytes: Float64Array;
  readonly guarantee: Float64Array;
  readonly maxBits: Float64Array;
  readonly packetRateCap: Float64Array;

  readonly bits: Float64Array;
  readonly chargedBits: Float64Array;
  readonly packets: Float64Array;
  readonly dropPpsCap: Float64Array;
  readonly dropRateLimit: Float64Array;
  readonly dropCongestion: Float64Array;
  readonly dropHost: Float64Array;

  private readonly base: Float64Array;
  private readonly want: Float64Array;
  private readonly ceiling: Float64Array;
  private readonly weight: Float64Array;
  private readonly extra: Float64Array;
  private readonly key: Float64Array;
  private readonly order: Uint32Array;

  constructor(readonly capacity = MAX_PODS_PER_NODE) {
    const f = () => new Float64Array(capacity);
    this.offeredBits = f();
    this.packetBytes = f();
    this.guarantee = f();
    this.maxBits = f();
    this.packetRateCap = f();
    this.bits = f();
    this.chargedBits = f();
    this.packets = f();
    this.dropPpsCap = f();
    this.dropRateLimit = f();
    this.dropCongestion = f();
    this.dropHost = f();
    this.base = f();
    this.want = f();
    this.ceiling = f();
    this.weight = f();
    this.extra = f();
    this.key = f();
    this.order = new Uint32Array(capacity);
  }

  /** Pod `i` offers `offeredBits` bits/s in packets of `packetBytes`, under `qos`. */
  setPod(i: number, offeredBits: number, packetBytes: number, qos: DirectionQos): void {
    this.offeredBits[i] = offeredBits;
    this.packetBytes[i] = packetBytes;
    this.guarantee[i] = qos.guaranteeBitsPerSecond;
    this.maxBits[i] = qos.maxBitsPerSecond ?? Number.POSITIVE_INFINITY;
    this.packetRateCap[i] = qos.packetRateCap ?? Number.POSITIVE_INFINITY;
  }

  solve(count: number, nic: NicCapacity): NicShareTotals {
    if (count > this.capacity) throw new RangeError(`NicShare holds ${this.capacity} pods; ${count} given`);
    const nicBits = nic.bitsPerSecond;
    let sumBase = 0;
    for (let i = 0; i < count; i++) {
      const size = Math.max(1, this.packetBytes[i] as number);
      const charged = Math.max(size, nic.mpuBytes) * 8;
      const offeredPps = Math.max(0, this.offeredBits[i] as number) / (size * 8);
      const pps = Math.min(offeredPps, Math.max(0, this.packetRateCap[i] as number));
      this.dropPpsCap[i] = offeredPps - pps;
      const demand = pps * charged;
      const g = Math.max(0, this.guarantee[i] as number);
      const ceil = Math.max(g, Math.min(this.maxBits[i] as number, nicBits));
      const ceiling = Math.min(demand, ceil);
      const base = Math.min(demand, g);
      this.ceiling[i] = ceiling;
      this.base[i] = base;
      this.want[i] = ceiling - base;
      this.weight[i] = Math.max(g, MIN_BORROW_WEIGHT);
      this.dropRateLimit[i] = (demand - ceiling) / charged;
      sumBase += base;
    }

    const guaranteesScaled = sumBase > nicBits;
    if (guaranteesScaled) {
      const scale = nicBits / sumBase;
      for (let i = 0; i < count; i++) {
        this.base[i] = (this.base[i] as number) * scale;
        this.extra[i] = 0;
      }
    } else {
      waterFill(count, this.want, this.weight, nicBits - sumBase, this.extra, this.order, this.key);
    }

    let sumPackets = 0;
    for (let i = 0; i < count; i++) {
      const charged = Math.max(Math.max(1, this.packetBytes[i] as number), nic.mpuBytes) * 8;
      const achieved = (this.base[i] as number) + (this.extra[i] as number);
      this.chargedBits[i] = achieved;
      this.dropCongestion[i] = Math.max(0, (this.ceiling[i] as number) - achieved) / charged;
      const packets = achieved / charged;
      this.packets[i] = packets;
      sumPackets += packets;
    }

    const hostOverloaded = sumPackets > nic.packetsPerSecond;
    const keep = hostOverloaded ? nic.packetsPerSecond / sumPackets : 1;
    let sumCharged = 0;
    for (let i = 0; i < count; i++) {
      const size = Math.max(1, this.packetBytes[i] as number);
      const charged = Math.max(size, nic.mpuBytes) * 8;
      const shaped = this.packets[i] as number;
      const packets = shaped * keep;
      this.dropHost[i] = shaped - packets;
      this.packets[i] = packets;
      this.chargedBits[i] = packets * charged;
      this.bits[i] = packets * size * 8;
      sumCharged += packets * charged;
    }
    return {
      chargedBitsPerSecond: sumCharged,
      packetsPerSecond: hostOverloaded ? nic.packetsPerSecond : sumPackets,
      hostOverloaded,
      guaranteesScaled,
    };
  }
}

/** One pod's traffic in one direction over the interval. */
export interface QosDemand {
  /** Bits per second offered, counted at the packets' real size. */
  readonly offeredBitsPerSecond: number;
  readonly packetBytes: number;
  readonly qos: DirectionQos;
}

export interface QosOutcome {
  /** Delivered, at the packets' real size. */
  readonly bitsPerSecond: number;
  /** Delivered, as the shaper charged it (packets × max(size, mpu)). */
  readonly chargedBitsPerSecond: number;
  readonly packetsPerSecond: number;
  /** Packets per second dropped, by reason. */
  readonly drops: Readonly<Record<DropReason, number>>;
}

/** Plain-data form of NicShare.solve for one NIC direction. */
export function shareNic(
  nic: NicCapacity,
  demands: readonly QosDemand[],
): { pods: QosOutcome[]; totals: NicShareTotals } {
  const share = new NicShare(Math.max(1, demands.length));
  demands.forEach((d, i) => {
    share.setPod(i, d.offeredBitsPerSecond, d.packetBytes, d.qos);
  });
  const totals = share.solve(demands.length, nic);
  const pods = demands.map((_, i) => ({
    bitsPerSecond: share.bits[i] as number,
    chargedBitsPerSecond: share.chargedBits[i] as number,
    packetsPerSecond: share.packets[i] as number,
    drops: {
      "pps-cap": share.dropPpsCap[i] as number,
      "rate-limit": share.dropRateLimit[i] as number,
      congestion: share.dropCongestion[i] as number,
      "host-pps": share.dropHost[i] as number,
    },
  }));
  return { pods, totals };
}
