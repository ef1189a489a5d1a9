import { describe, expect, it } from "vitest";
import { defaultServiceSpec, loadBalancerIpOf, type ServiceSpec } from "./service";
import {
  assertNoProblems,
  serviceNameProblems,
  serviceSpecProblems,
  serviceUpdateProblems,
} from "./service-validation";

const messages = (spec: ServiceSpec) => serviceSpecProblems(spec).map((p) => `${p.field}: ${p.message}`);

describe("defaultServiceSpec", () => {
  it("fills Kubernetes' defaults: ClusterIP, TCP, targetPort = port, affinity None", () => {
    expect(defaultServiceSpec({ ports: [{ port: 80 }], selector: { app: "web" } })).toEqual({
      type: "ClusterIP",
      ports: [{ protocol: "TCP", port: 80, targetPort: 80 }],
      selector: { app: "web" },
      sessionAffinity: "None",
    });
  });

  it("keeps a named targetPort and drops an empty selector", () => {
    const s = defaultServiceSpec({ ports: [{ name: "http", port: 80, targetPort: "http" }], selector: {} });
    expect(s.ports[0]?.targetPort).toBe("http");
    expect(s.selector).toBeUndefined();
  });
});

describe("serviceSpecProblems", () => {
  it("accepts a valid two-port LoadBalancer", () => {
    const spec = defaultServiceSpec({
      type: "LoadBalancer",
      ports: [
        { name: "http", port: 80, targetPort: "http" },
        { name: "dns", port: 53, protocol: "UDP" },
      ],
      selector: { app: "web" },
      sessionAffinity: "ClientIP",
      loadBalancerIP: "203.0.113.7",
    });
    expect(serviceSpecProblems(spec)).toEqual([]);
  });

  it("requires ports", () => {
    expect(messages(defaultServiceSpec({}))).toEqual(["spec.ports: Required value"]);
  });

  it("refuses ports outside 1..65535 with Kubernetes' words", () => {
    expect(messages(defaultServiceSpec({ ports: [{ port: 0, targetPort: 70000 }] }))).toEqual([
      "spec.ports[0].port: Invalid value: 0: must be between 1 and 65535, inclusive",
      "spec.ports[0].targetPort: Invalid value: 70000: must be between 1 and 65535, inclusive",
    ]);
    expect(messages(defaultServiceSpec({ ports: [{ port: 65536 }] }))[0]).toBe(
      "spec.ports[0].port: Invalid value: 65536: must be between 1 and 65535, inclusive",
    );
  });

  it("requires names, unique, when there is more than one port", () => {
    const spec = defaultServiceSpec({ ports: [{ port: 80 }, { name: "a", port: 81 }, { name: "a", port: 82 }] });
    expect(messages(spec)).toEqual(["spec.ports[0].name: Required value", 'spec.ports[2].name: Duplicate value: "a"']);
  });

  it("refuses the same port and protocol twice, but not the same port on two protocols", () => {
    const dup = defaultServiceSpec({
      ports: [
        { name: "a", port: 53 },
        { name: "b", port: 53 },
      ],
    });
    expect(messages(dup)).toEqual(['spec.ports[1]: Duplicate value: "53/TCP"']);
    const both = defaultServiceSpec({
      ports: [
        { name: "a", port: 53 },
        { name: "b", port: 53, protocol: "UDP" },
      ],
    });
    expect(serviceSpecProblems(both)).toEqual([]);
  });

  it("lists the supported protocols, types and affinities", () => {
    const spec = {
      ...defaultServiceSpec({ ports: [{ port: 80 }] }),
      type: "NodePort",
      sessionAffinity: "Sticky",
      ports: [{ protocol: "ICMP", port: 80, targetPort: 80 }],
    } as unknown as ServiceSpec;
    expect(messages(spec)).toEqual([
      'spec.type: Unsupported value: "NodePort": supported values: "ClusterIP", "LoadBalancer"',
      'spec.ports[0].protocol: Unsupported value: "ICMP": supported values: "SCTP", "TCP", "UDP"',
      'spec.sessionAffinity: Unsupported value: "Sticky": supported values: "ClientIP", "None"',
    ]);
  });

  it("judges a named targetPort as an IANA service name", () => {
    const spec = defaultServiceSpec({ ports: [{ port: 80, targetPort: "Http--port-name-too-long" }] });
    expect(messages(spec)).toEqual([
      'spec.ports[0].targetPort: Invalid value: "Http--port-name-too-long": must be no more than 15 characters, must contain only alpha-numeric characters (a-z, 0-9), and hyphens (-), must not contain consecutive hyphens',
    ]);
  });

  it("checks addresses, refuses headless and a loadBalancerIP on a ClusterIP service", () => {
    expect(messages(defaultServiceSpec({ clusterIP: "10.96.0.300", ports: [{ port: 80 }] }))).toEqual([
      'spec.clusterIPs[0]: Invalid value: "10.96.0.300": must be a valid IP address, (e.g. 10.9.8.7 or 2001:db8::ffff)',
    ]);
    expect(messages(defaultServiceSpec({ clusterIP: "None", ports: [{ port: 80 }] }))[0]).toMatch(
      /^spec.clusterIP: Unsupported value: "None": headless services are not modelled/,
    );
    expect(messages(defaultServiceSpec({ loadBalancerIP: "203.0.113.1", ports: [{ port: 80 }] }))).toEqual([
      "spec.loadBalancerIP: Forbidden: may only be used when `type` is 'LoadBalancer'",
    ]);
  });

  it("checks selector keys and values as label keys and values", () => {
    const spec = defaultServiceSpec({ ports: [{ port: 80 }], selector: { "bad key": "x", app: "-bad-" } });
    expect(serviceSpecProblems(spec).map((p) => p.field)).toEqual(["spec.selector", "spec.selector.app"]);
  });
});

describe("names, updates and the error", () => {
  it("wants a DNS-1035 service name (it becomes a DNS label)", () => {
    expect(serviceNameProblems("web")).toEqual([]);
    expect(serviceNameProblems("1web")[0]?.message).toMatch(/^Invalid value: "1web": a DNS-1035 label must/);
    expect(serviceNameProblems("a".repeat(64))[0]?.message).toMatch(/must be no more than 63 characters/);
  });

  it("keeps the ClusterIP once set", () => {
    const before = defaultServiceSpec({ clusterIP: "10.96.0.10", ports: [{ port: 80 }] });
    const after = defaultServiceSpec({ clusterIP: "10.96.0.11", ports: [{ port: 80 }] });
    expect(serviceUpdateProblems(before, after).map((p) => p.message)).toEqual([
      'Invalid value: "10.96.0.11": may not change once set',
    ]);
    expect(serviceUpdateProblems(before, before)).toEqual([]);
  });

  it("throws INVALID in kube-apiserver's form, every problem listed", () => {
    const problems = serviceSpecProblems(defaultServiceSpec({ ports: [{ port: 0 }, { port: 1 }] }));
    expect(() => assertNoProblems("web", problems)).toThrow(
      'Service "web" is invalid: [spec.ports[0].name: Required value, spec.ports[0].port: Invalid value: 0: must be between 1 and 65535, inclusive, spec.ports[0].targetPort: Invalid value: 0: must be between 1 and 65535, inclusive, spec.ports[1].name: Required value]',
    );
    expect(() => assertNoProblems("web", [])).not.toThrow();
  });

  it("forwards a LoadBalancer's public IP only once it is bound (status)", () => {
    const spec = defaultServiceSpec({ type: "LoadBalancer", loadBalancerIP: "203.0.113.9", ports: [{ port: 80 }] });
    expect(loadBalancerIpOf({ namespace: "n", name: "s", spec })).toBeUndefined();
    const bound = { namespace: "n", name: "s", spec, status: { loadBalancer: { ingress: [{ ip: "203.0.113.9" }] } } };
    expect(loadBalancerIpOf(bound)).toBe("203.0.113.9");
    expect(loadBalancerIpOf({ ...bound, spec: { ...spec, type: "ClusterIP" as const } })).toBeUndefined();
  });
});
