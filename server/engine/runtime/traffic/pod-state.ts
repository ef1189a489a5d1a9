/**
 * The traffic model's per-step state of a pod and its flows, and its report: made only when a
 * flow or a drop touches the pod (most pods send nothing), with QoS views shared per template.
 */
import type { NicCapacity } from "../../network/qos/nic-capacity";
import { cachedPodQos, type Direction, type DirectionQos } from "../../network/qos/qos-annotations";
import type { AdmittingRule } from "../../network/security/group-matcher";
import type { PortIdentity } from "../../network/security/types";
import type { FlowSpec } from "./flow-spec";
import {
  type ContainerTraffic,
  type DirectionQosView,
  emptyContainerTraffic,
  emptyRates,
  type PodTrafficReport,
  type RuleHit,
  type TrafficDrop,
  type TrafficDropReason,
} from "./traffic-report";

/** A pod as the model needs it: where it runs, its address, QoS annotations, and its running containers' flows. */
export interface TrafficPodInput {
  readonly id: string;
  readonly tenantId: string;
  readonly namespace: string;
  readonly name: string;
  readonly nodeId: string;
  readonly annotations: Readonly<Record<string, string>>;
  readonly podIP?: string;
  readonly containers: readonly { readonly name: string; readonly flows: readonly FlowSpec[] }[];
}

/** A pod in one step; `report` and the flow lists exist only once a flow or a drop touches it. */
export interface PodState {
  readonly input: TrafficPodInput;
  readonly port: PortIdentity | undefined;
  readonly nic: NicCapacity | undefined;
  report: PodTrafficReport | undefined;
  out: FlowState[] | undefined;
  incoming: FlowState[] | undefined;
  /** The fraction of its incoming packets its NIC's ingress shaping kept (set by the shaping). */
  rxKeep?: number;
}

export interface FlowState {
  readonly container: ContainerTraffic;
  readonly packetBytes: number;
  /** Offered by the source (lowered by its public NIC's cap before the shaping). */
  offeredPps: number;
  /** Packets/s that left the source's NIC. */
  sentPps: number;
  /** The rules that admitted it at the source's egress and the destination's ingress (decideFlow's AdmittedBy). */
  readonly egressRule: AdmittingRule | undefined;
  readonly ingressRule: AdmittingRule | undefined;
}

export const NO_FLOWS: readonly FlowState[] = [];

const qosView = (q: DirectionQos, nic: NicCapacity | undefined): DirectionQosView => {
  const nicBits = nic?.bitsPerSecond ?? Number.POSITIVE_INFINITY;
  const max = Math.max(q.guaranteeBitsPerSecond, Math.min(q.maxBitsPerSecond ?? nicBits, nicBits));
  return {
    guaranteeBitsPerSecond: q.guaranteeBitsPerSecond,
    maxBitsPerSecond: Number.isFinite(max) ? max : 0,
    packetRateCap: q.packetRateCap ?? null,
  };
};

/** Reports of one model: created on first touch, drops merged per direction, reason and rule. */
export class PodReports {
  /** QoS views per annotations object (a template's) and NIC rate. */
  private readonly qosViews = new WeakMap<object, Map<number, PodTrafficReport["qos"]>>();

  reportOf(p: PodState): PodTrafficReport {
    if (p.report === undefined)
      p.report = {
        rx: emptyRates(),
        tx: emptyRates(),
        qos: this.qosOf(p.input.annotations, p.nic),
        drops: [],
        ruleHits: [],
        containers: p.input.containers.map((c) => emptyContainerTraffic(c.name)),
      };
    return p.report;
  }

  private qosOf(annotations: Readonly<Record<string, string>>, nic: NicCapacity | undefined) {
    let byNic = this.qosViews.get(annotations);
    if (byNic === undefined) {
      byNic = new Map();
      this.qosViews.set(annotations, byNic);
    }
    const key = nic?.bitsPerSecond ?? 0;
    let view = byNic.get(key);
    if (view === undefined) {
      const { qos } = cachedPodQos(annotations);
      view = { ingress: qosView(qos.ingress, nic), egress: qosView(qos.egress, nic) };
      byNic.set(key, view);
    }
    return view;
  }

  qosDrop(pod: PodState, direction: Direction, reason: TrafficDropReason, pps: number, size: number): void {
    if (pps > 1e-9) this.recordDrop(pod, direction, reason, pps, pps * size);
  }

  recordHit(pod: PodState, direction: Direction, by: AdmittingRule, packetsPerSecond: number, size: number): void {
    if (packetsPerSecond <= 0) return;
    // As for drops: a pod's flows hit a handful of rules, so a scan beats a key per hit.
    const hits = this.reportOf(pod).ruleHits;
    let h: RuleHit | undefined;
    for (const x of hits)
      if (x.direction === direction && x.rule === by.rule && x.group === by.group) {
        h = x;
        break;
      }
    if (h === undefined) {
      h = { direction, group: by.group, rule: by.rule, packetsPerSecond: 0, bytesPerSecond: 0 };
      hits.push(h);
    }
    h.packetsPerSecond += packetsPerSecond;
    h.bytesPerSecond += packetsPerSecond * size;
  }

  recordDrop(
    pod: PodState,
    direction: Direction,
    reason: TrafficDropReason,
    packetsPerSecond: number,
    bytesPerSecond: number,
    group?: string,
    rule?: number,
  ): void {
    if (group !== undefined) rule ??= 0;
    // A pod has a handful of distinct drops: a scan beats building a key per drop.
    const report = this.reportOf(pod);
    const drops = report.drops;
    let d: TrafficDrop | undefined;
    for (const x of drops)
      if (x.direction === direction && x.reason === reason && x.group === group && x.rule === rule) {
        d = x;
        break;
      }
    if (d === undefined) {
      d =
        group === undefined
          ? { direction, reason, packetsPerSecond: 0, bytesPerSecond: 0 }
          : { direction, reason, group, rule, packetsPerSecond: 0, bytesPerSecond: 0 };
      drops.push(d);
    }
    d.packetsPerSecond += packetsPerSecond;
    d.bytesPerSecond += bytesPerSecond;
    (direction === "egress" ? report.tx : report.rx).droppedPacketsPerSecond += packetsPerSecond;
  }
}

/**
 * After both shapings: each flow's admitting rules credited with what got through, the egress
 * rule at the source (what left its NIC), the ingress rule at the destination (what its NIC
 * kept). O(flows).
 */
export function recordRuleHits(reports: PodReports, pods: readonly PodState[]): void {
  for (const p of pods) {
    for (const f of p.out ?? NO_FLOWS)
      if (f.egressRule !== undefined) reports.recordHit(p, "egress", f.egressRule, f.sentPps, f.packetBytes);
    const keep = p.rxKeep ?? 1;
    for (const f of p.incoming ?? NO_FLOWS)
      if (f.ingressRule !== undefined) reports.recordHit(p, "ingress", f.ingressRule, f.sentPps * keep, f.packetBytes);
  }
}

export function pushOut(p: PodState, flow: FlowState): void {
  if (p.out === undefined) p.out = [flow];
  else p.out.push(flow);
}

export function pushIncoming(p: PodState, flow: FlowState): void {
  if (p.incoming === undefined) p.incoming = [flow];
  else p.incoming.push(flow);
}
