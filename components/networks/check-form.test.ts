import { describe, expect, it } from "vitest";
import { type CheckForm, refusalField, toCheckInput, withSourceKind } from "./check-form";

const base: CheckForm = {
  sourceKind: "pod",
  from: "shop/web-1",
  fromAddress: "",
  targetKind: "pod",
  target: "shop/db-0",
  protocol: "tcp",
  port: "5432",
};
const fromInternet: CheckForm = { ...base, sourceKind: "internet", targetKind: "publicIp", target: "203.0.113.5" };

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

  it("asks from the internet to an address, from the default host unless one is named", () => {
    expect(toCheckInput(fromInternet)).toEqual({
      input: { from: { internet: true }, to: { address: "203.0.113.5" }, protocol: "tcp", port: 5432 },
    });
    expect(toCheckInput({ ...fromInternet, fromAddress: " 198.51.100.20 ", targetKind: "address" })).toMatchObject({
      input: { from: { internet: true, address: "198.51.100.20" }, to: { address: "203.0.113.5" } },
    });
    // The pod chosen before switching to the internet is not sent.
    const r = toCheckInput(fromInternet);
    expect("input" in r && "pod" in r.input.from).toBe(false);
  });

  it("from the internet, refuses a pod or a service at the field, and a bad source address at its own", () => {
    expect(toCheckInput({ ...fromInternet, targetKind: "pod", target: "shop/db-0" })).toEqual({
      problems: [{ field: "target", key: "internetTarget" }],
    });
    expect(toCheckInput({ ...fromInternet, targetKind: "service", target: "shop/db" })).toEqual({
      problems: [{ field: "target", key: "internetTarget" }],
    });
    expect(toCheckInput({ ...fromInternet, fromAddress: "192.0.2", target: "" })).toEqual({
      problems: [
        { field: "fromAddress", key: "badSourceAddress" },
        { field: "target", key: "pickPublicIp" },
      ],
    });
    expect(toCheckInput({ ...fromInternet, targetKind: "address", target: "203.0.113" })).toEqual({
      problems: [{ field: "target", key: "badAddress" }],
    });
  });

  it("switching the source keeps a destination it can use and replaces one it cannot", () => {
    expect(withSourceKind(base, "internet")).toMatchObject({
      sourceKind: "internet",
      targetKind: "publicIp",
      target: "",
    });
    const toAddress = { ...base, targetKind: "address" as const, target: "203.0.113.5" };
    expect(withSourceKind(toAddress, "internet")).toMatchObject({ targetKind: "address", target: "203.0.113.5" });
    expect(withSourceKind(fromInternet, "pod")).toMatchObject({ sourceKind: "pod", targetKind: "pod", target: "" });
  });

  it("puts a server refusal at the field it names", () => {
    expect(refusalField({ field: "from.address" })).toBe("fromAddress");
    expect(refusalField({ field: "from.pod" })).toBe("from");
    expect(refusalField({ field: "to.address" })).toBe("target");
    expect(refusalField({ field: "port" })).toBe("port");
    expect(refusalField({ fieldErrors: { from: ["x"] } })).toBeNull();
    expect(refusalField(undefined)).toBeNull();
  });
});
