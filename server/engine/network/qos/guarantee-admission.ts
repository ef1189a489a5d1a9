/**
 * Admission of bandwidth guarantees: a node's NIC is never promised twice.
 * Guarantees: per direction, the guarantees of the pods holding a node plus the new pod's
 * stay ≤ the NIC's rate (so the sharing model can always honour every one of them);
 * guaranteeFitProblems says which direction is short and by how much, in the scheduler's
 * "Insufficient …" words; admitGuarantee throws EngineError INVALID with the same text,
 * attributed to the admission step `NodeBandwidthGuarantee`. A guarantee no NIC of the
 * tenant's machine types could ever hold is caught at create time by guaranteeFitsNoNic.
 */
import { EngineError } from "../../core/errors";
import { formatBitRate } from "./bandwidth-quantity";
import type { NicCapacity } from "./nic-capacity";
import { cachedPodQos, DIRECTIONS, type Direction, type PodQos } from "./qos-annotations";

export const GUARANTEE_ADMISSION = "NodeBandwidthGuarantee";

/** Guarantees already promised on one node, bits per second per direction. */
export interface CommittedGuarantees {
  readonly ingress: number;
  readonly egress: number;
}

export const NOTHING_COMMITTED: CommittedGuarantees = { ingress: 0, egress: 0 };

/** The scheduler's reason text for a direction that does not fit (counted per node). */
export const insufficientReason = (direction: Direction) => `Insufficient ${direction} bandwidth`;

/**
 * Sum of the guarantees of `pods` (those holding the node: bound and not finished; the caller
 * picks them, as allocatedOn does). Broken annotations count as no guarantee: such a pod was
 * refused at validation, and a filter must not throw on an old one.
 */
export function committedGuarantees(
  pods: Iterable<{ readonly annotations: Readonly<Record<string, string>> }>,
): CommittedGuarantees {
  let ingress = 0;
  let egress = 0;
  for (const p of pods) {
    const { qos } = cachedPodQos(p.annotations);
    ingress += qos.ingress.guaranteeBitsPerSecond;
    egress += qos.egress.guaranteeBitsPerSecond;
  }
  return { ingress, egress };
}

export interface GuaranteeShortfall {
  readonly direction: Direction;
  readonly asked: number;
  readonly free: number;
  readonly capacity: number;
}

/** Each direction in which `qos`'s guarantee does not fit beside `committed` on `nic`. */
export function guaranteeShortfalls(
  qos: PodQos,
  nic: NicCapacity,
  committed: CommittedGuarantees,
): GuaranteeShortfall[] {
  const out: GuaranteeShortfall[] = [];
  for (const direction of DIRECTIONS) {
    const asked = qos[direction].guaranteeBitsPerSecond;
    if (asked === 0) continue;
    const free = Math.max(0, nic.bitsPerSecond - committed[direction]);
    if (asked > free) out.push({ direction, asked, free, capacity: nic.bitsPerSecond });
  }
  return out;
}

const describe = (s: GuaranteeShortfall) =>
  `${insufficientReason(s.direction)}: the pod's guarantee is ${formatBitRate(s.asked)}, ` +
  `${formatBitRate(s.free)} of the node's ${formatBitRate(s.capacity)} is not yet guaranteed to other pods`;

/** Why the pod's guarantee does not fit on the node (empty: it fits). */
export function guaranteeFitProblems(qos: PodQos, nic: NicCapacity, committed: CommittedGuarantees): string[] {
  return guaranteeShortfalls(qos, nic, committed).map(describe);
}

/** Refuses binding the pod to the node when its guarantee would oversubscribe the NIC. */
export function admitGuarantee(
  podName: string,
  nodeName: string,
  qos: PodQos,
  nic: NicCapacity,
  committed: CommittedGuarantees,
): void {
  const problems = guaranteeFitProblems(qos, nic, committed);
  if (problems.length === 0) return;
  throw new EngineError(
    "INVALID",
    `pods "${podName}" is forbidden: node "${nodeName}": ${problems.join("; ")}`,
    undefined,
    GUARANTEE_ADMISSION,
  );
}

/**
 * The direction whose guarantee exceeds even an empty NIC of every machine type given (so the
 * pod could never be placed), with a message for the create command; undefined when one fits.
 */
export function guaranteeFitsNoNic(
  qos: PodQos,
  nics: readonly NicCapacity[],
): { direction: Direction; message: string } | undefined {
  let largest = 0;
  for (const n of nics) largest = Math.max(largest, n.bitsPerSecond);
  for (const direction of DIRECTIONS) {
    const asked = qos[direction].guaranteeBitsPerSecond;
    if (asked > largest) {
      return {
        direction,
        message:
          `the ${direction} bandwidth guarantee ${formatBitRate(asked)} is more than any node's NIC ` +
          `(${formatBitRate(largest)}); ask for at most that, or use a larger machine type`,
      };
    }
  }
  return undefined;
}
