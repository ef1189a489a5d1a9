import { describe, expect, it } from "vitest";
import { type CheckForm, toCheckInput } from "./check-form";

const base: CheckForm = { from: "shop/web-1", targetKind: "pod", target: "shop/db-0", protocol: "tcp", port: "5432" };

describe("the connectivity check form", () => {
  it("asks from a pod to a pod, a service or an address", () => {
    expect(toCheckInput(base)).toEqual({
      input: {
        from: { pod: "web-1", namespace: "shop" },
        to: { pod: "db-0", namespace: "shop" },
        protocol: "tcp",
        port: 5432,
      },
    });
    expect(toCheckInput({ ...base, targetKind: "service", target: "shop/db" })).toMatchObject({
      input: { to: { service: "db", namespace: "shop" } },
    });
    expect(toCheckInput({ ...base, targetKind: "address", target: " 10.0.0.7 " })).toMatchObject({
      input: { to: { address: "10.0.0.7" } },
    });
  });

  it("sends no port for icmp", () => {
    const r = toCheckInput({ ...base, protocol: "icmp", port: "" });
    expect(r).toMatchObject({ input: { protocol: "icmp" } });
    expect("input" in r && "port" in r.input).toBe(false);
  });

  it("names each field's mistake", () => {
    expect(toCheckInput({ ...base, from: "", target: "", port: "70000" })).toEqual({
      problems: [
        { field: "from", key: "pickSource" },
        { field: "target", key: "pickPod" },
        { field: "port", key: "badPort" },
      ],
    });
    expect(toCheckInput({ ...base, targetKind: "address", target: "10.0.0.300" })).toEqual({
      problems: [{ field: "target", key: "badAddress" }],
    });
    expect(toCheckInput({ ...base, port: "8o" })).toEqual({ problems: [{ field: "port", key: "badPort" }] });
  });
});
