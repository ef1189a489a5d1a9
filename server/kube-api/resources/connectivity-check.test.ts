import { describe, expect, it } from "vitest";
import { checkInputOf } from "./connectivity-check";

const fields = (spec: unknown) => {
  const out = checkInputOf(spec, "team-a");
  return Array.isArray(out) ? out.map((c) => `${c.field}: ${c.message}`) : out;
};

describe("a ConnectivityCheck's spec as the engine's question", () => {
  it("defaults both ends to the request's namespace, keeps a named one", () => {
    expect(
      checkInputOf({ from: { pod: "a" }, to: { pod: "b", namespace: "db" }, protocol: "tcp", port: 5432 }, "ns"),
    ).toEqual({ from: { pod: "a", namespace: "ns" }, to: { pod: "b", namespace: "db" }, protocol: "tcp", port: 5432 });
    expect(checkInputOf({ from: { pod: "a" }, to: { service: "web" }, protocol: "udp", port: 53 }, "ns")).toMatchObject(
      {
        to: { service: "web", namespace: "ns" },
      },
    );
    expect(checkInputOf({ from: { pod: "a" }, to: { address: "8.8.8.8" }, protocol: "icmp" }, "ns")).toEqual({
      from: { pod: "a", namespace: "ns" },
      to: { address: "8.8.8.8" },
      protocol: "icmp",
    });
  });

  it("names every field that is not a flow", () => {
    expect(fields(undefined)).toEqual(["spec: Required value"]);
    expect(fields({ to: { pod: "b" }, protocol: "sctp", port: 80 })).toEqual([
      "spec.from: Required value",
      'spec.protocol: Unsupported value: "sctp": supported values: "tcp", "udp", "icmp"',
    ]);
    expect(fields({ from: { service: "x" }, to: { pod: "b", address: "1.2.3.4" }, protocol: "tcp", port: 0 })).toEqual([
      "spec.from.service: Forbidden: a source is a pod",
      "spec.to: Invalid value: exactly one of pod, service, address may be given, not pod and address",
      "spec.port: Invalid value: 0: must be between 1 and 65535, inclusive",
    ]);
    expect(fields({ from: { pod: "a" }, to: { pod: "" }, protocol: "tcp" })).toEqual([
      "spec.to.pod: Invalid value: must be a non-empty string",
      "spec.port: Required value: a tcp flow has a port",
    ]);
  });
});
