import { describe, expect, it } from "vitest";
import { formatIpv4, parseIpv4 } from "../ipv4";
import { backendsFor, endpointsFromSlices, type ServiceEndpoint } from "./backends";
import { deriveEndpointSlices } from "./endpoint-slices";
import { pod, service } from "./fixtures.test-kit";

const ep = (ip: string, c: Partial<ServiceEndpoint> = {}, port = 8080, name = "http"): ServiceEndpoint => ({
  ip: parseIpv4(ip),
  ready: true,
  serving: true,
  terminating: false,
  ports: [{ name, protocol: "TCP", port }],
  ...c,
});
const list = (b: ReturnType<typeof backendsFor>) => [...b.ips].map((ip, i) => `${formatIpv4(ip)}:${b.ports[i]}`);

describe("backendsFor", () => {
  it("uses ready endpoints only, sorted by address then port, each once", () => {
    const b = backendsFor(
      [ep("10.0.0.9"), ep("10.0.0.2"), ep("10.0.0.5", { ready: false, serving: false }), ep("10.0.0.2")],
      "http",
      "TCP",
    );
    expect(list(b)).toEqual(["10.0.0.2:8080", "10.0.0.9:8080"]);
  });

  it("falls back to serving terminating endpoints only when none is ready", () => {
    const draining = [
      ep("10.0.0.2", { ready: false, serving: true, terminating: true }),
      ep("10.0.0.3", { ready: false, serving: false, terminating: true }),
    ];
    expect(list(backendsFor(draining, "http", "TCP"))).toEqual(["10.0.0.2:8080"]);
    expect(list(backendsFor([...draining, ep("10.0.0.4")], "http", "TCP"))).toEqual(["10.0.0.4:8080"]);
  });

  it("matches the service port by name and protocol", () => {
    const eps = [ep("10.0.0.2", {}, 8080, "http"), ep("10.0.0.3", {}, 9090, "admin")];
    expect(list(backendsFor(eps, "admin", "TCP"))).toEqual(["10.0.0.3:9090"]);
    expect(list(backendsFor(eps, "admin", "UDP"))).toEqual([]);
  });

  it("sorts addresses above 2^31 as unsigned", () => {
    expect(list(backendsFor([ep("203.0.113.1"), ep("10.0.0.1")], "http", "TCP"))).toEqual([
      "10.0.0.1:8080",
      "203.0.113.1:8080",
    ]);
  });
});

describe("endpointsFromSlices", () => {
  it("gives each address its slice's ports and conditions", () => {
    const svc = service("web", { ports: [{ name: "http", port: 80, targetPort: "http" }], selector: { app: "web" } });
    const slices = deriveEndpointSlices(svc, [pod("a", "10.0.0.2"), pod("b", "10.0.0.3", { ready: false })]);
    expect(endpointsFromSlices(slices)).toEqual([
      { ip: parseIpv4("10.0.0.2"), ready: true, serving: true, terminating: false, ports: slices[0]?.ports },
      { ip: parseIpv4("10.0.0.3"), ready: false, serving: false, terminating: false, ports: slices[0]?.ports },
    ]);
  });

  it("reads unset conditions as Kubernetes does: ready, serving = ready, not terminating", () => {
    const slice = {
      name: "s",
      namespace: "n",
      labels: {},
      ownerService: { name: "s" },
      addressType: "IPv4" as const,
      endpoints: [
        { addresses: ["10.0.0.2"], conditions: {}, targetRef: { kind: "Pod", namespace: "n", name: "p", uid: "u" } },
      ],
      ports: [],
    } as unknown as Parameters<typeof endpointsFromSlices>[0][number];
    expect(endpointsFromSlices([slice])[0]).toMatchObject({ ready: true, serving: true, terminating: false });
  });
});
