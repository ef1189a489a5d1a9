/**
 * A node's NIC, per direction (full duplex: ingress and egress each have the whole rate).
 * Guarantees: a pure function of the node's capacity. Bandwidth grows with vCPUs up to the
 * host's 10 GbE port, as cloud VM types do (2.5 Gbit/s per vCPU: 2c 5 Gbit/s, 4c and up
 * 10 Gbit/s); the packet budget is what the host's soft interrupts can switch through the
 * VXLAN overlay, 300,000 packets/s per vCPU (2c 600k, 4c 1.2M, 8c 2.4M), which is still
 * above line rate at full-size frames, so only small packets ever meet it. `mpuBytes` is the
 * minimum packet unit the shaper charges (tc's `mpu`): 64 bytes, Ethernet's minimum frame.
 */
import type { NodeCapacity } from "../../kinds/types";

export interface NicCapacity {
  /** Per direction, bits per second. */
  readonly bitsPerSecond: number;
  /** Per direction, packets per second the host can process before it drops indiscriminately. */
  readonly packetsPerSecond: number;
  /** Every packet costs max(size, mpuBytes) bytes of the shaper's buckets. */
  readonly mpuBytes: number;
}

export const HOST_PORT_BITS_PER_SECOND = 10_000_000_000;
export const BITS_PER_SECOND_PER_CORE = 2_500_000_000;
export const PACKETS_PER_SECOND_PER_CORE = 300_000;
export const DEFAULT_MPU_BYTES = 64;

/** The NIC of a node of this capacity (from its machine type, kinds/types.ts MACHINE_TYPES). */
export function nicCapacityOf(capacity: Pick<NodeCapacity, "cpuMillis">): NicCapacity {
  const cores = Math.max(1, capacity.cpuMillis / 1000);
  return {
    bitsPerSecond: Math.min(HOST_PORT_BITS_PER_SECOND, cores * BITS_PER_SECOND_PER_CORE),
    packetsPerSecond: Math.round(cores * PACKETS_PER_SECOND_PER_CORE),
    mpuBytes: DEFAULT_MPU_BYTES,
  };
}
