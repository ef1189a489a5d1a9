import { describe, expect, it } from "vitest";
import { EngineError } from "../../core/errors";
import {
  cachedPodQos,
  DEFAULT_POD_QOS,
  parsePodQos,
  podQosProblems,
  QOS_ANNOTATIONS as A,
  readPodQos,
} from "./qos-annotations";

const field = (key: string) => `metadata.annotations['${key}']`;

describe("pod QoS from annotations", () => {
  it("defaults when nothing is set: no guarantee, the NIC as maximum, no cap of its own", () => {
    expect(parsePodQos({})).toBe(DEFAULT_POD_QOS);
    expect(parsePodQos({ app: "web", "kubernetes.io/change-cause": "x" })).toBe(DEFAULT_POD_QOS);
    expect(DEFAULT_POD_QOS.egress).toEqual({
      guaranteeBitsPerSecond: 0,
      maxBitsPerSecond: undefined,
      packetRateCap: undefined,
    });
  });

  it("reads Kubernetes' maximum annotations as kubelet does (bits per second) and ours beside them", () => {
    const qos = parsePodQos({
      [A.egressMax]: "100M",
      [A.egressGuarantee]: "20M",
      [A.egressPacketRate]: "50k",
      [A.ingressMax]: "1G",
      [A.ingressPacketRate]: "2e5",
    });
    expect(qos.egress).toEqual({ guaranteeBitsPerSecond: 20e6, maxBitsPerSecond: 100e6, packetRateCap: 50_000 });
    expect(qos.ingress).toEqual({ guaranteeBitsPerSecond: 0, maxBitsPerSecond: 1e9, packetRateCap: 200_000 });
  });

  it("a guarantee without a maximum may borrow up to the NIC; '0' means no guarantee", () => {
    expect(parsePodQos({ [A.ingressGuarantee]: "300M" }).ingress.maxBitsPerSecond).toBeUndefined();
    expect(parsePodQos({ [A.ingressGuarantee]: "0" }).ingress.guaranteeBitsPerSecond).toBe(0);
  });

  it("accepts the bounds themselves: 1M and 4.29G, 1 and 10M packets/s", () => {
    const qos = parsePodQos({
      [A.egressMax]: "4.29G",
      [A.egressGuarantee]: "1M",
      [A.egressPacketRate]: "10M",
      [A.ingressPacketRate]: "1",
    });
    expect(qos.egress.maxBitsPerSecond).toBe(4_290_000_000);
    expect(qos.ingress.packetRateCap).toBe(1);
  });

  it("refuses what is not a quantity, naming the annotation and the forms accepted", () => {
    expect(podQosProblems({ [A.egressMax]: "10Mbit" })).toEqual([
      {
        field: field(A.egressMax),
        message:
          'Invalid value: "10Mbit": must be a quantity of bits per second, like "10M" (10 Mbit/s), "500k" or "1G"',
      },
    ]);
  });

  it("refuses values the bandwidth plugin takes but no pod here may have (CCE's 1 Mbit/s .. 4.29 Gbit/s)", () => {
    for (const v of ["500k", "5G", "1P"]) {
      const [p] = podQosProblems({ [A.ingressMax]: v });
      expect(p?.field).toBe(field(A.ingressMax));
      expect(p?.message).toContain("must be between 1M (1 Mbit/s) and 4.29G (4.29 Gbit/s)");
    }
    expect(podQosProblems({ [A.ingressGuarantee]: "10k" })[0]?.message).toContain('or "0" for none');
    expect(podQosProblems({ [A.ingressMax]: "0" })).toHaveLength(1);
  });

  it("refuses a guarantee above the maximum", () => {
    expect(podQosProblems({ [A.egressMax]: "10M", [A.egressGuarantee]: "20M" })).toEqual([
      {
        field: field(A.egressGuarantee),
        message: 'Invalid value: "20M": must not exceed kubernetes.io/egress-bandwidth (10M)',
      },
    ]);
  });

  it("refuses packet rates out of 1..10M", () => {
    for (const v of ["0", "-5", "20M", "fast"]) {
      const [p] = podQosProblems({ [A.egressPacketRate]: v });
      expect(p?.field).toBe(field(A.egressPacketRate));
      expect(p?.message).toContain("packet rate between 1 and 10M packets per second");
    }
  });

  it("reports every broken annotation at once, and parsePodQos throws INVALID naming them all", () => {
    const annotations = { [A.egressMax]: "x", [A.ingressGuarantee]: "9G", [A.ingressPacketRate]: "0" };
    expect(podQosProblems(annotations).map((p) => p.field)).toEqual([
      field(A.ingressGuarantee),
      field(A.ingressPacketRate),
      field(A.egressMax),
    ]);
    let error: unknown;
    try {
      parsePodQos(annotations);
    } catch (e) {
      error = e;
    }
    expect(error).toBeInstanceOf(EngineError);
    const e = error as EngineError;
    expect(e.code).toBe("INVALID");
    expect(e.message).toContain(`${field(A.egressMax)}: Invalid value: "x"`);
    expect(e.message.split("; ")).toHaveLength(3);
    expect(e.detail?.field).toBe(field(A.ingressGuarantee));
  });

  it("a reader that must not throw gets the valid parts and the problems", () => {
    const { qos, problems } = readPodQos({ [A.egressMax]: "oops", [A.egressGuarantee]: "5M" });
    expect(problems).toHaveLength(1);
    expect(qos.egress).toEqual({ guaranteeBitsPerSecond: 5e6, maxBitsPerSecond: undefined, packetRateCap: undefined });
  });

  it("parses a shared template's annotations once", () => {
    const annotations = { [A.egressGuarantee]: "5M" };
    expect(cachedPodQos(annotations)).toBe(cachedPodQos(annotations));
    expect(cachedPodQos({ ...annotations })).not.toBe(cachedPodQos(annotations));
  });
});
