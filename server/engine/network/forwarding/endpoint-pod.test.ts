import { describe, expect, it } from "vitest";
import { pod, T0 } from "../../kinds/fixtures.test-kit";
import { endpointPodOf } from "./endpoint-pod";
import { deriveEndpointSlices } from "./endpoint-slices";
import { service } from "./fixtures.test-kit";

describe("endpointPodOf", () => {
  it("reads the engine's Pod: Ready condition, deletionTimestamp, node, container ports", () => {
    expect(endpointPodOf(pod("p-1", "web-a", true), "10.0.0.2")).toEqual({
      uid: "p-1",
      name: "web-a",
      namespace: "team-a",
      labels: pod("p-1", "web-a", true).labels,
      podIP: "10.0.0.2",
      ready: true,
      terminating: false,
      phase: "Running",
      restartPolicy: "Always",
      nodeName: "general-abcde",
      containerPorts: [{ containerPort: 80, protocol: "TCP" }],
    });
    const leaving = endpointPodOf(pod("p-2", "web-b", false, { deletionTimestamp: T0 }), undefined);
    expect(leaving).toMatchObject({ ready: false, terminating: true });
    expect(leaving.podIP).toBeUndefined();
  });

  it("feeds the derivation with real pods", () => {
    const svc = service("web", { ports: [{ port: 80 }], selector: { app: "web" } }, { namespace: "team-a" });
    const slices = deriveEndpointSlices(svc, [
      endpointPodOf(pod("p-1", "web-a", true), "10.0.0.2"),
      endpointPodOf(pod("p-2", "web-b", false), "10.0.0.3"),
    ]);
    expect(slices[0]?.endpoints.map((e) => [e.addresses[0], e.conditions.ready])).toEqual([
      ["10.0.0.2", true],
      ["10.0.0.3", false],
    ]);
  });
});
