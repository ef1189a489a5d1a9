/**
 * A pod's bandwidth QoS, read from its annotations.
 * Guarantees: the maximum comes from Kubernetes' own `kubernetes.io/{ingress,egress}-bandwidth`
 * (bits per second, parsed as kubelet parses them); the guarantee and the packet-rate cap from
 * our `cloud.tenant.io/` annotations. podQosProblems lists every broken annotation with its
 * field path (`metadata.annotations['kubernetes.io/egress-bandwidth']`) and the rule it breaks;
 * parsePodQos throws one EngineError INVALID naming them all. Nothing set means no guarantee,
 * the NIC as the maximum and no packet-rate cap of the pod's own.
 */
import { EngineError } from "../../core/errors";
import { formatQuantity, parseQuantityValue } from "./bandwidth-quantity";

export const QOS_ANNOTATIONS = {
  ingressMax: "kubernetes.io/ingress-bandwidth",
  egressMax: "kubernetes.io/egress-bandwidth",
  ingressGuarantee: "cloud.tenant.io/ingress-bandwidth-guarantee",
  egressGuarantee: "cloud.tenant.io/egress-bandwidth-guarantee",
  ingressPacketRate: "cloud.tenant.io/ingress-packet-rate",
  egressPacketRate: "cloud.tenant.io/egress-packet-rate",
} as const;

/** Huawei CCE's per-pod range: below 1 Mbit/s is a typo, above 4.29 Gbit/s no single pod gets. */
export const MIN_POD_BANDWIDTH = 1_000_000;
export const MAX_POD_BANDWIDTH = 4_290_000_000;
/** Packet-rate caps (packets/s): 10 Mpps is beyond any VM NIC, so a larger cap means nothing. */
export const MIN_PACKET_RATE = 1;
export const MAX_PACKET_RATE = 10_000_000;

export type Direction = "ingress" | "egress";
export const DIRECTIONS: readonly Direction[] = ["ingress", "egress"];

/**
 * One direction of a pod's QoS. `guaranteeBitsPerSecond` is always honoured when the pod asks
 * for it (0: none); `maxBitsPerSecond` is the ceiling it may borrow up to (undefined: the NIC);
 * `packetRateCap` caps its packets per second (undefined: only the node's own budget).
 */
export interface DirectionQos {
  readonly guaranteeBitsPerSecond: number;
  readonly maxBitsPerSecond: number | undefined;
  readonly packetRateCap: number | undefined;
}

export interface PodQos {
  readonly ingress: DirectionQos;
  readonly egress: DirectionQos;
}

export const NO_QOS: DirectionQos = {
  guaranteeBitsPerSecond: 0,
  maxBitsPerSecond: undefined,
  packetRateCap: undefined,
};
export const DEFAULT_POD_QOS: PodQos = { ingress: NO_QOS, egress: NO_QOS };

/** A broken annotation: the field path (Kubernetes' spelling) and why, in field.Invalid's words. */
export interface QosFieldProblem {
  readonly field: string;
  readonly message: string;
}

export const annotationField = (key: string) => `metadata.annotations['${key}']`;

const invalid = (key: string, value: string, why: string): QosFieldProblem => ({
  field: annotationField(key),
  message: `Invalid value: ${JSON.stringify(value.length > 64 ? `${value.slice(0, 64)}…` : value)}: ${why}`,
});

const BANDWIDTH_RANGE = `between ${formatQuantity(MIN_POD_BANDWIDTH)} (1 Mbit/s) and ${formatQuantity(MAX_POD_BANDWIDTH)} (4.29 Gbit/s)`;
const NOT_BANDWIDTH = 'must be a quantity of bits per second, like "10M" (10 Mbit/s), "500k" or "1G"';

type Keys = { max: string; guarantee: string; packetRate: string };
const KEYS: Record<Direction, Keys> = {
  ingress: {
    max: QOS_ANNOTATIONS.ingressMax,
    guarantee: QOS_ANNOTATIONS.ingressGuarantee,
    packetRate: QOS_ANNOTATIONS.ingressPacketRate,
  },
  egress: {
    max: QOS_ANNOTATIONS.egressMax,
    guarantee: QOS_ANNOTATIONS.egressGuarantee,
    packetRate: QOS_ANNOTATIONS.egressPacketRate,
  },
};

/** A bandwidth annotation's value, or undefined with a problem pushed. `allowZero`: "0" = none. */
function bandwidth(
  annotations: Readonly<Record<string, string>>,
  key: string,
  allowZero: boolean,
  problems: QosFieldProblem[],
): number | undefined {
  const text = annotations[key];
  if (text === undefined) return undefined;
  const value = parseQuantityValue(text);
  if (value === undefined) {
    problems.push(invalid(key, text, NOT_BANDWIDTH));
    return undefined;
  }
  if (allowZero && value === 0) return 0;
  if (value < MIN_POD_BANDWIDTH || value > MAX_POD_BANDWIDTH) {
    problems.push(invalid(key, text, `must be ${BANDWIDTH_RANGE}${allowZero ? ', or "0" for none' : ""}`));
    return undefined;
  }
  return value;
}

function packetRate(
  annotations: Readonly<Record<string, string>>,
  key: string,
  problems: QosFieldProblem[],
): number | undefined {
  const text = annotations[key];
  if (text === undefined) return undefined;
  const value = parseQuantityValue(text);
  if (value === undefined || value < MIN_PACKET_RATE || value > MAX_PACKET_RATE) {
    const range = `between ${MIN_PACKET_RATE} and ${formatQuantity(MAX_PACKET_RATE)} packets per second`;
    problems.push(invalid(key, text, `must be a packet rate ${range}, like "100k"`));
    return undefined;
  }
  return value;
}

function directionQos(
  annotations: Readonly<Record<string, string>>,
  direction: Direction,
  problems: QosFieldProblem[],
): DirectionQos {
  const keys = KEYS[direction];
  const max = bandwidth(annotations, keys.max, false, problems);
  let guarantee = bandwidth(annotations, keys.guarantee, true, problems) ?? 0;
  if (max !== undefined && guarantee > max) {
    const text = annotations[keys.guarantee] ?? "";
    problems.push(invalid(keys.guarantee, text, `must not exceed ${keys.max} (${annotations[keys.max]})`));
    guarantee = 0;
  }
  const packetRateCap = packetRate(annotations, keys.packetRate, problems);
  if (guarantee === 0 && max === undefined && packetRateCap === undefined) return NO_QOS;
  return { guaranteeBitsPerSecond: guarantee, maxBitsPerSecond: max, packetRateCap };
}

/**
 * The pod's QoS and every problem found. A broken annotation falls back to its default (no
 * guarantee, no maximum, no cap), so a reader that must not throw (a scheduler filter, the
 * model) still gets a usable spec; validation refuses the pod on `problems`.
 */
export function readPodQos(annotations: Readonly<Record<string, string>>): {
  qos: PodQos;
  problems: readonly QosFieldProblem[];
} {
  const problems: QosFieldProblem[] = [];
  const ingress = directionQos(annotations, "ingress", problems);
  const egress = directionQos(annotations, "egress", problems);
  const qos = ingress === NO_QOS && egress === NO_QOS ? DEFAULT_POD_QOS : { ingress, egress };
  return { qos, problems };
}

export function podQosProblems(annotations: Readonly<Record<string, string>>): readonly QosFieldProblem[] {
  return readPodQos(annotations).problems;
}

/** The pod's QoS; EngineError INVALID listing every broken annotation (detail: the first one's field). */
export function parsePodQos(annotations: Readonly<Record<string, string>>): PodQos {
  const { qos, problems } = readPodQos(annotations);
  const first = problems[0];
  if (!first) return qos;
  throw new EngineError("INVALID", problems.map((p) => `${p.field}: ${p.message}`).join("; "), {
    key: "errors.fieldMessage",
    params: { field: first.field, message: { key: "", text: first.message } },
    text: `${first.field}: ${first.message}`,
    field: first.field,
  });
}

// Pods share their template's annotations object (kinds/types.ts), so one parse per template;
// the last one read is kept apart, since a placement asks for the same pod at every node.
const cache = new WeakMap<object, ReturnType<typeof readPodQos>>();
let lastAnnotations: object | undefined;
let lastRead: ReturnType<typeof readPodQos> | undefined;

/** readPodQos, memoised on the annotations object (never mutated in place: a change is a new map). */
export function cachedPodQos(annotations: Readonly<Record<string, string>>): ReturnType<typeof readPodQos> {
  if (annotations === lastAnnotations && lastRead) return lastRead;
  let hit = cache.get(annotations);
  if (!hit) {
    hit = readPodQos(annotations);
    cache.set(annotations, hit);
  }
  lastAnnotations = annotations;
  lastRead = hit;
  return hit;
}
