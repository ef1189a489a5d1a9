/**
 * Bandwidth QoS for pods (issue 14 point 5): the annotations, NIC capacity per machine type,
 * admission of guarantees, the scheduler's fit and score, and the sharing model that decides
 * achieved rates and drops per NIC direction. See README.md in this folder for the rules.
 */
export { formatBitRate, formatQuantity, parseQuantityValue } from "./bandwidth-quantity";
export {
  bandwidthFit,
  bandwidthFitWith,
  type CommittedOn,
  committedOnNode,
  INVALID_QOS_REASON,
  leastCommittedBandwidth,
  leastCommittedBandwidthWith,
} from "./bandwidth-plugins";
export {
  admitGuarantee,
  type CommittedGuarantees,
  committedGuarantees,
  GUARANTEE_ADMISSION,
  type GuaranteeShortfall,
  guaranteeFitProblems,
  guaranteeFitsNoNic,
  guaranteeShortfalls,
  insufficientReason,
  NOTHING_COMMITTED,
} from "./guarantee-admission";
export {
  DEFAULT_MPU_BYTES,
  HOST_PORT_BITS_PER_SECOND,
  type NicCapacity,
  nicCapacityOf,
  PACKETS_PER_SECOND_PER_CORE,
} from "./nic-capacity";
export {
  DROP_REASONS,
  type DropReason,
  MIN_BORROW_WEIGHT,
  NicShare,
  type NicShareTotals,
  type QosDemand,
  type QosOutcome,
  shareNic,
} from "./nic-share";
export {
  annotationField,
  cachedPodQos,
  DEFAULT_POD_QOS,
  type Direction,
  type DirectionQos,
  DIRECTIONS,
  MAX_PACKET_RATE,
  MAX_POD_BANDWIDTH,
  MIN_PACKET_RATE,
  MIN_POD_BANDWIDTH,
  NO_QOS,
  type PodQos,
  parsePodQos,
  podQosProblems,
  type QosFieldProblem,
  QOS_ANNOTATIONS,
  readPodQos,
} from "./qos-annotations";
export { TokenBucket } from "./token-bucket";
export { waterFill } from "./water-fill";
export {
  type DirectionReport,
  NO_TRAFFIC,
  NodeQosModel,
  type NodeQosStep,
  type PodQosReport,
  type PodTraffic,
  type TrafficOffer,
} from "./node-qos-model";
