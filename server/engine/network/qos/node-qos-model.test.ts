import { describe, expect, it } from "vitest";
import { MACHINE_TYPES } from "../../kinds/types";
import { nicCapacityOf } from "./nic-capacity";
import { NO_TRAFFIC, NodeQosModel } from "./node-qos-model";
import { QOS_ANNOTATIONS as A } from "./qos-annotations";

const nic = nicCapacityOf(MACHINE_TYPES["2c4g"]); // 5 Gbit/s, 600k packets/s
const bulk = (bits: number) => ({ bitsPerSecond: bits, packetBytes: 1500 });

describe("NodeQosModel", () => {
  it("shares each direction apart, with each pod's QoS read from its annotations", () => {
    const model = new NodeQosModel();
    const step = model.step(nic, [
      { annotations: { [A.egressGuarantee]: "4G" }, ingress: bulk(4e9), egress: bulk(5e9) },
      { annotations: { [A.ingressMax]: "1G" }, ingress: bulk(4e9), egress: bulk(5e9) },
    ]);
    const [a, b] = step.pods;
    // Egress: 4G guaranteed to a, the last 1G split 4000:1 by weight.
    expect(a?.egress.bitsPerSecond).toBeCloseTo(4e9 + (1e9 * 4000) / 4001, -2);
    expect(b?.egress.bitsPerSecond).toBeCloseTo(1e9 / 4001, -2);
    // Ingress: b stops at its 1G maximum, a takes the rest of the NIC.
    expect(b?.ingress.bitsPerSecond).toBeCloseTo(1e9, -1);
    expect(b?.ingress.drops["rate-limit"]).toBeCloseTo(3e9 / 12_000, 3);
    expect(a?.ingress.bitsPerSecond).toBeCloseTo(4e9, -1);
    expect(step.egress.chargedBitsPerSecond).toBeCloseTo(5e9, -1);
  });

  it("reports the effective maximum and the guarantee beside the achieved rate", () => {
    const step = new NodeQosModel(4).step(nic, [
      { annotations: { [A.egressMax]: "100M", [A.egressPacketRate]: "1k" }, ingress: NO_TRAFFIC, egress: bulk(1e6) },
      { annotations: {}, ingress: NO_TRAFFIC, egress: NO_TRAFFIC },
    ]);
    expect(step.pods[0]?.egress).toMatchObject({
      maxBitsPerSecond: 100e6,
      packetRateCap: 1000,
      guaranteeBitsPerSecond: 0,
    });
    expect(step.pods[1]?.ingress).toMatchObject({ maxBitsPerSecond: 5e9, bitsPerSecond: 0, offeredBitsPerSecond: 0 });
  });

  it("a pod whose annotations are broken is shared as if they were unset", () => {
    const step = new NodeQosModel().step(nic, [
      { annotations: { [A.egressMax]: "fast" }, ingress: NO_TRAFFIC, egress: bulk(9e9) },
    ]);
    expect(step.pods[0]?.egress.bitsPerSecond).toBeCloseTo(5e9, -1);
  });

  it("refuses more pods than its workspaces hold", () => {
    const pod = { annotations: {}, ingress: NO_TRAFFIC, egress: NO_TRAFFIC };
    expect(() => new NodeQosModel(1).step(nic, [pod, pod])).toThrow(RangeError);
  });
});
