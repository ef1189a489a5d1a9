import { describe, expect, it } from "vitest";
import { EngineError } from "../../core/errors";
import { MACHINE_TYPES } from "../../kinds/types";
import {
  admitGuarantee,
  committedGuarantees,
  GUARANTEE_ADMISSION,
  guaranteeFitProblems,
  guaranteeFitsNoNic,
  NOTHING_COMMITTED,
} from "./guarantee-admission";
import { nicCapacityOf } from "./nic-capacity";
import { parsePodQos, QOS_ANNOTATIONS as A } from "./qos-annotations";

/** The item at `i`, or a failed test (the arrays here are always as long as their inputs). */
function at<T>(list: readonly T[], i: number): T {
  const v = list[i];
  if (v === undefined) throw new Error(`no item ${i}`);
  return v;
}

const nic = nicCapacityOf(MACHINE_TYPES["8c16g"]);
const egress = (g: string) => parsePodQos({ [A.egressGuarantee]: g });

describe("NIC capacity per machine type", () => {
  it("grows with vCPUs up to the 10 GbE port; the packet budget with vCPUs", () => {
    expect(nicCapacityOf(MACHINE_TYPES["2c4g"])).toEqual({
      bitsPerSecond: 5e9,
      packetsPerSecond: 600_000,
      mpuBytes: 64,
    });
    expect(nicCapacityOf(MACHINE_TYPES["4c8g"]).bitsPerSecond).toBe(10e9);
    expect(nic).toEqual({ bitsPerSecond: 10e9, packetsPerSecond: 2_400_000, mpuBytes: 64 });
  });
  it("the packet budget is above line rate at full-size frames, so only small packets meet it", () => {
    for (const c of Object.values(MACHINE_TYPES)) {
      const n = nicCapacityOf(c);
      expect(n.packetsPerSecond).toBeGreaterThan(n.bitsPerSecond / (1500 * 8));
    }
  });
});

describe("guarantee admission", () => {
  it("sums the guarantees of the pods given, per direction", () => {
    const pods: { annotations: Record<string, string> }[] = [
      { annotations: { [A.egressGuarantee]: "1G", [A.ingressGuarantee]: "200M" } },
      { annotations: { [A.egressGuarantee]: "500M" } },
      { annotations: {} },
      { annotations: { [A.egressGuarantee]: "not-a-rate" } },
    ];
    expect(committedGuarantees(pods)).toEqual({ ingress: 200e6, egress: 1.5e9 });
  });

  it("admits up to exactly the NIC and refuses one bit more, saying how much is free", () => {
    expect(guaranteeFitProblems(egress("4G"), nic, { ingress: 0, egress: 6e9 })).toEqual([]);
    expect(guaranteeFitProblems(egress("4G"), nic, { ingress: 0, egress: 6e9 + 1 })).toEqual([
      "Insufficient egress bandwidth: the pod's guarantee is 4 Gbit/s, 3.999999999 Gbit/s of the node's 10 Gbit/s is not yet guaranteed to other pods",
    ]);
  });

  it("judges each direction apart (full duplex)", () => {
    const both = parsePodQos({ [A.egressGuarantee]: "3G", [A.ingressGuarantee]: "3G" });
    const problems = guaranteeFitProblems(both, nic, { ingress: 8e9, egress: 1e9 });
    expect(problems).toHaveLength(1);
    expect(problems[0]).toMatch(/^Insufficient ingress bandwidth/);
  });

  it("a pod without a guarantee always fits, even on a node already fully promised", () => {
    expect(guaranteeFitProblems(parsePodQos({ [A.egressMax]: "1G" }), nic, { ingress: 10e9, egress: 10e9 })).toEqual(
      [],
    );
  });

  it("admitGuarantee refuses with Kubernetes' forbidden wording, attributed to its admission step", () => {
    expect(() => admitGuarantee("web-1", "n1", egress("2G"), nic, NOTHING_COMMITTED)).not.toThrow();
    try {
      admitGuarantee("web-1", "n1", egress("2G"), nic, { ingress: 0, egress: 9e9 });
      expect.unreachable();
    } catch (e) {
      const err = e as EngineError;
      expect(err).toBeInstanceOf(EngineError);
      expect(err.code).toBe("INVALID");
      expect(err.admission).toBe(GUARANTEE_ADMISSION);
      expect(err.message).toMatch(
        /^pods "web-1" is forbidden: node "n1": Insufficient egress bandwidth: .* 1 Gbit\/s of/,
      );
    }
  });

  it("catches at create time a guarantee no machine type's NIC could hold", () => {
    const small = [nicCapacityOf(MACHINE_TYPES["2c4g"])];
    expect(guaranteeFitsNoNic(egress("4G"), small)).toBeUndefined();
    const q = parsePodQos({ [A.ingressGuarantee]: "4.29G", [A.ingressMax]: "4.29G" });
    expect(guaranteeFitsNoNic(q, [{ ...at(small, 0), bitsPerSecond: 4e9 }])).toEqual({
      direction: "ingress",
      message:
        "the ingress bandwidth guarantee 4.29 Gbit/s is more than any node's NIC (4 Gbit/s); ask for at most that, or use a larger machine type",
    });
  });
});
