/**
 * The simulated runtime's side of the traffic model: one model step per instant, shared by
 * every read at that instant (the collector reads each pod's stats at the same engine time,
 * so a round costs one cluster-wide step), and the samples' network figures taken from it.
 * Guarantees: a step is recomputed only when the time or the network changes (rates are steady
 * in between, so a read at the same instant is the same answer); without a network nothing is
 * computed and samples keep their synthetic figures.
 */
import type { NicCapacity } from "../../network/qos/nic-capacity";
import type { ContainerSample } from "../workload-profile";
import { TrafficModel, type TrafficPodInput } from "./traffic-model";
import type { TrafficNetwork } from "./traffic-network";
import type { ContainerTraffic, PodTrafficReport, PublicIpTrafficReport } from "./traffic-report";

export class RuntimeTraffic {
  private at = Number.NaN;
  private network: TrafficNetwork | undefined;
  private model: TrafficModel | undefined;
  private reports: Map<string, PodTrafficReport> | undefined;

  constructor(
    private readonly nics: ReadonlyMap<string, NicCapacity>,
    private readonly inputs: () => TrafficPodInput[],
  ) {}

  /** Every pod's report at `now` (undefined without a network). */
  reportsAt(now: number, network: TrafficNetwork | undefined): ReadonlyMap<string, PodTrafficReport> | undefined {
    if (network === undefined) return undefined;
    if (network !== this.network || this.model === undefined) {
      this.network = network;
      this.model = new TrafficModel(network);
      this.reports = undefined;
    }
    if (this.reports === undefined || now !== this.at) {
      this.reports = this.model.step(now, this.nics, this.inputs());
      this.at = now;
    }
    return this.reports;
  }

  /** Every bound public IP's report at `now` (undefined without a network), from the same step. */
  publicIpReportsAt(now: number, network: TrafficNetwork | undefined): readonly PublicIpTrafficReport[] | undefined {
    if (this.reportsAt(now, network) === undefined) return undefined;
    return this.model?.publicIpReports();
  }

  /** Pods started or stopped: the next read steps again even at the same instant. */
  invalidate(): void {
    this.reports = undefined;
  }
}

/** The sample with its network figures from the model (rates × the interval; absent: no traffic). */
export function withModelTraffic(
  sample: ContainerSample,
  traffic: ContainerTraffic | undefined,
  intervalMs: number,
): ContainerSample {
  const s = intervalMs / 1000;
  const of = (perSecond: number | undefined) => Math.round((perSecond ?? 0) * s);
  return {
    ...sample,
    netRxBytes: of(traffic?.rxBytesPerSecond),
    netTxBytes: of(traffic?.txBytesPerSecond),
    netRxPackets: of(traffic?.rxPacketsPerSecond),
    netTxPackets: of(traffic?.txPacketsPerSecond),
    netRxDrops: of(traffic?.rxDropsPerSecond),
    netTxDrops: of(traffic?.txDropsPerSecond),
  };
}
