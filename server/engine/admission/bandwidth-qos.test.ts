import { describe, expect, it } from "vitest";
import { EngineError } from "../core/errors";
import { EngineState } from "../core/state";
import { pool as fixturePool } from "../kinds/fixtures.test-kit";
import type { PodTemplate } from "../kinds/types";
import { GUARANTEE_ADMISSION, nicCapacityOf, QOS_ANNOTATIONS as A } from "../network/qos";
import { startHarness, webDeployment } from "../test-kit";
import { checkTemplateQos, tenantNics } from "./bandwidth-qos";

const field = (key: string) => `spec.template.metadata.annotations['${key}']`;

const annotated = (name: string, annotations: Record<string, string>, replicas = 1) => {
  const d = webDeployment(name, replicas);
  return { ...d, template: { ...d.template, annotations } };
};

/** The EngineError `run` throws (a failed test when it throws nothing or something else). */
function refusal(run: () => void): EngineError {
  try {
    run();
  } catch (e) {
    if (e instanceof EngineError) return e;
    throw e;
  }
  throw new Error("expected a refusal");
}

describe("bandwidth QoS admission of a deployment's template", () => {
  it("refuses a malformed annotation INVALID with its field path, and creates nothing", async () => {
    const h = await startHarness();
    const create = h.engine.createDeployment("t", annotated("web", { [A.egressMax]: "10Mbit" }));
    await expect(create).rejects.toMatchObject({
      code: "INVALID",
      message: `${field(A.egressMax)}: Invalid value: "10Mbit": must be a quantity of bits per second, like "10M" (10 Mbit/s), "500k" or "1G"`,
      detail: { field: field(A.egressMax) },
    });
    await h.engine.settle();
    expect(h.engine.listDeployments("t").items).toHaveLength(0);
    expect(h.engine.listPods("t").items).toHaveLength(0);
  });

  it("names every broken annotation: a guarantee above its maximum, a packet rate out of range", async () => {
    const h = await startHarness();
    const create = h.engine.createDeployment(
      "t",
      annotated("web", { [A.egressMax]: "100M", [A.egressGuarantee]: "200M", [A.ingressPacketRate]: "0" }),
    );
    const e = await create.then(
      () => undefined,
      (err: unknown) => err as EngineError,
    );
    expect(e?.code).toBe("INVALID");
    expect(e?.message).toContain(`${field(A.egressGuarantee)}: Invalid value: "200M": must not exceed ${A.egressMax}`);
    expect(e?.message).toContain(`${field(A.ingressPacketRate)}: Invalid value: "0": must be a packet rate`);
  });

  it("refuses an update whose template breaks the annotations and keeps the deployment as it was", async () => {
    const h = await startHarness();
    await h.engine.createDeployment("t", annotated("web", { [A.egressGuarantee]: "100M" }));
    await h.engine.settle();
    const before = h.engine.getDeployment("t", "web");
    const bad = annotated("web", { [A.egressGuarantee]: "fast" }).template;
    await expect(h.engine.updateDeployment("t", "web", { template: bad })).rejects.toMatchObject({
      code: "INVALID",
      detail: { field: field(A.egressGuarantee) },
    });
    const after = h.engine.getDeployment("t", "web");
    expect(after.generation).toBe(before.generation);
    expect(after.spec.template.annotations).toEqual({ [A.egressGuarantee]: "100M" });
    // A scale keeps the template: admitted as it is.
    await h.engine.scaleDeployment("t", "web", 2);
    expect(h.engine.getDeployment("t", "web").spec.replicas).toBe(2);
  });

  it("admits well-formed annotations and templates without any", async () => {
    const h = await startHarness();
    await h.engine.createDeployment("t", webDeployment("plain", 1));
    await h.engine.createDeployment(
      "t",
      annotated("qos", { [A.egressMax]: "1G", [A.egressGuarantee]: "500M", [A.egressPacketRate]: "100k" }),
    );
    expect(
      h.engine
        .listDeployments("t")
        .items.map((d) => d.name)
        .sort(),
    ).toEqual(["plain", "qos"]);
  });

  it("refuses a guarantee larger than the NIC of every machine the tenant could get", () => {
    const template: PodTemplate = {
      labels: {},
      annotations: { [A.egressGuarantee]: "4G" },
      spec: webDeployment().template.spec as PodTemplate["spec"],
    };
    // A 1-vCPU machine's NIC is 2.5 Gbit/s: no node of such a tenant could ever hold the pod.
    const e = refusal(() => checkTemplateQos(template, [nicCapacityOf({ cpuMillis: 1000 })]));
    expect(e.code).toBe("INVALID");
    expect(e.admission).toBe(GUARANTEE_ADMISSION);
    expect(e.detail?.field).toBe(field(A.egressGuarantee));
    expect(e.message).toBe(
      `${field(A.egressGuarantee)}: the egress bandwidth guarantee 4 Gbit/s is more than any node's NIC (2.5 Gbit/s); ask for at most that, or use a larger machine type`,
    );
    expect(() =>
      checkTemplateQos(template, [nicCapacityOf({ cpuMillis: 1000 }), nicCapacityOf({ cpuMillis: 2000 })]),
    ).not.toThrow();
  });
});

describe("the NICs a tenant's pods could get", () => {
  it("are its pools' machine types and its nodes; with neither, every machine type", () => {
    const state = new EngineState();
    const all = tenantNics(state, fixturePool.tenantId).map((n) => n.bitsPerSecond);
    expect(all.sort((a, b) => a - b)).toEqual([5e9, 10e9, 10e9]);
    state.put({ ...fixturePool, machineType: "2c4g" });
    expect(tenantNics(state, fixturePool.tenantId).map((n) => n.bitsPerSecond)).toEqual([5e9]);
    expect(tenantNics(state, "someone-else")).toHaveLength(3);
  });
});
