import { describe, expect, it } from "vitest";
import { createRng } from "../../queue/rng";
import {
  deriveEndpointSlices,
  ENDPOINTSLICE_CONTROLLER,
  endpointSlicesEqual,
  MANAGED_BY_LABEL,
  SERVICE_NAME_LABEL,
} from "./endpoint-slices";
import { pod, service } from "./fixtures.test-kit";

const web = service("web", { ports: [{ name: "http", port: 80, targetPort: "http" }], selector: { app: "web" } });
const addressesOf = (s: ReturnType<typeof deriveEndpointSlices>) =>
  s.flatMap((x) => x.endpoints.map((e) => e.addresses[0]));

describe("deriveEndpointSlices: which pods", () => {
  it("takes the selected pods of the service's namespace that have an IP", () => {
    const slices = deriveEndpointSlices(web, [
      pod("a", "10.0.0.2"),
      pod("b", "10.0.0.3", { labels: { app: "db" } }),
      pod("c", "10.0.0.4", { namespace: "other" }),
      pod("d", undefined),
    ]);
    expect(addressesOf(slices)).toEqual(["10.0.0.2"]);
    expect(slices[0]).toMatchObject({
      namespace: "shop",
      addressType: "IPv4",
      ownerService: { name: "web", uid: "uid-web" },
      labels: { [SERVICE_NAME_LABEL]: "web", [MANAGED_BY_LABEL]: ENDPOINTSLICE_CONTROLLER },
      ports: [{ name: "http", protocol: "TCP", port: 8080 }],
    });
    expect(slices[0]?.endpoints[0]).toEqual({
      addresses: ["10.0.0.2"],
      conditions: { ready: true, serving: true, terminating: false },
      nodeName: "node-1",
      targetRef: { kind: "Pod", namespace: "shop", name: "a", uid: "uid-a" },
    });
  });

  it("leaves out terminal pods by their restart policy, as Kubernetes does", () => {
    const slices = deriveEndpointSlices(web, [
      pod("never-failed", "10.0.0.1", { restartPolicy: "Never", phase: "Failed" }),
      pod("onfailure-failed", "10.0.0.2", { restartPolicy: "OnFailure", phase: "Failed" }),
      pod("onfailure-done", "10.0.0.3", { restartPolicy: "OnFailure", phase: "Succeeded" }),
      pod("always-failed", "10.0.0.4", { restartPolicy: "Always", phase: "Failed" }),
    ]);
    expect(addressesOf(slices)).toEqual(["10.0.0.2", "10.0.0.4"]);
  });

  it("lists a not-ready pod as not ready and not serving", () => {
    const [s] = deriveEndpointSlices(web, [pod("a", "10.0.0.2", { ready: false })]);
    expect(s?.endpoints[0]?.conditions).toEqual({ ready: false, serving: false, terminating: false });
  });

  it("lists a terminating pod as not ready, serving while it is still ready, terminating", () => {
    const [s] = deriveEndpointSlices(web, [
      pod("a", "10.0.0.2", { terminating: true }),
      pod("b", "10.0.0.3", { terminating: true, ready: false }),
    ]);
    expect(s?.endpoints.map((e) => e.conditions)).toEqual([
      { ready: false, serving: true, terminating: true },
      { ready: false, serving: false, terminating: true },
    ]);
  });

  it("publishNotReadyAddresses makes every listed pod ready and serving", () => {
    const svc = service("web", { ports: [{ port: 80 }], selector: { app: "web" }, publishNotReadyAddresses: true });
    const [s] = deriveEndpointSlices(svc, [pod("a", "10.0.0.2", { ready: false, terminating: true })]);
    expect(s?.endpoints[0]?.conditions).toEqual({ ready: true, serving: true, terminating: true });
  });
});

describe("deriveEndpointSlices: ports", () => {
  it("resolves a named targetPort per pod and groups pods by their resolved ports", () => {
    const slices = deriveEndpointSlices(web, [
      pod("a", "10.0.0.2"),
      pod("b", "10.0.0.3", { containerPorts: [{ name: "http", containerPort: 9090, protocol: "TCP" }] }),
      pod("c", "10.0.0.4"),
    ]);
    expect(slices.map((s) => [s.ports, addressesOf([s])])).toEqual([
      [[{ name: "http", protocol: "TCP", port: 8080 }], ["10.0.0.2", "10.0.0.4"]],
      [[{ name: "http", protocol: "TCP", port: 9090 }], ["10.0.0.3"]],
    ]);
  });

  it("matches a named port on its protocol too, and leaves out a port a pod does not have", () => {
    const svc = service("dns", {
      ports: [
        { name: "dns-udp", port: 53, protocol: "UDP", targetPort: "dns" },
        { name: "metrics", port: 9153, targetPort: 9153 },
      ],
      selector: { app: "web" },
    });
    const slices = deriveEndpointSlices(svc, [
      pod("tcp-only", "10.0.0.2", { containerPorts: [{ name: "dns", containerPort: 5353, protocol: "TCP" }] }),
      pod("udp", "10.0.0.3", { containerPorts: [{ name: "dns", containerPort: 53, protocol: "UDP" }] }),
    ]);
    expect(slices.map((s) => s.ports)).toEqual([
      [
        { name: "dns-udp", protocol: "UDP", port: 53 },
        { name: "metrics", protocol: "TCP", port: 9153 },
      ],
      [{ name: "metrics", protocol: "TCP", port: 9153 }],
    ]);
  });
});

describe("deriveEndpointSlices: slices", () => {
  const many = Array.from({ length: 250 }, (_, i) => pod(`p${i}`, `10.0.${i >> 8}.${(i & 255) + 1}`));

  it("puts at most 100 endpoints in a slice, sorted by address, with distinct stable names", () => {
    const slices = deriveEndpointSlices(web, many);
    expect(slices.map((s) => s.endpoints.length)).toEqual([100, 100, 50]);
    expect(addressesOf(slices)).toEqual(many.map((p) => p.podIP));
    expect(new Set(slices.map((s) => s.name)).size).toBe(3);
    for (const s of slices) expect(s.name).toMatch(/^web-[a-z0-9]{5}$/);
  });

  it("yields an equal result for the same pods in any order", () => {
    const rng = createRng(7);
    const shuffled = [...many].sort(() => rng.next() - 0.5);
    const a = deriveEndpointSlices(web, many);
    const b = deriveEndpointSlices(web, shuffled);
    expect(endpointSlicesEqual(a, b)).toBe(true);
    expect(b).toEqual(a);
    expect(endpointSlicesEqual(a, deriveEndpointSlices(web, many.slice(1)))).toBe(false);
  });

  it("keeps one empty placeholder slice for a service that selects nothing", () => {
    const slices = deriveEndpointSlices(web, []);
    expect(slices).toHaveLength(1);
    expect(slices[0]).toMatchObject({ endpoints: [], ports: [] });
  });

  it("manages no slices for a service without a selector", () => {
    expect(deriveEndpointSlices(service("ext", { ports: [{ port: 80 }] }), many)).toEqual([]);
  });

  it("copies the service's labels, its own two labels winning", () => {
    const svc = service(
      "web",
      { ports: [{ port: 80 }], selector: { app: "web" } },
      { labels: { team: "a", [SERVICE_NAME_LABEL]: "spoof" } },
    );
    expect(deriveEndpointSlices(svc, [pod("a", "10.0.0.2")])[0]?.labels).toEqual({
      team: "a",
      [SERVICE_NAME_LABEL]: "web",
      [MANAGED_BY_LABEL]: ENDPOINTSLICE_CONTROLLER,
    });
  });
});
