import { describe, expect, it } from "vitest";
import { allocateInput, allocateProblems, bindInput, refusalAt, refusalElsewhere, targetText } from "./draft";

describe("the public IP forms", () => {
  it("allocates with the default bandwidth unless one is given", () => {
    expect(allocateInput({ name: " web-ip ", namespace: "shop", bandwidthMbps: "" })).toEqual({
      name: "web-ip",
      namespace: "shop",
    });
    expect(allocateInput({ name: "web-ip", namespace: "", bandwidthMbps: "20" })).toEqual({
      name: "web-ip",
      bandwidthMbps: 20,
    });
  });

  it("names each field's mistake with the server's bounds", () => {
    expect(allocateProblems({ name: "", namespace: "", bandwidthMbps: "" })).toEqual({ name: "nameRequired" });
    expect(allocateProblems({ name: "Web_IP", namespace: "", bandwidthMbps: "0" })).toEqual({
      name: "nameFormat",
      bandwidthMbps: "bandwidth",
    });
    expect(allocateProblems({ name: "a".repeat(64), namespace: "", bandwidthMbps: "10001" })).toEqual({
      name: "nameFormat",
      bandwidthMbps: "bandwidth",
    });
    expect(allocateProblems({ name: "ok", namespace: "", bandwidthMbps: "2.5" })).toEqual({
      bandwidthMbps: "bandwidth",
    });
    expect(allocateProblems({ name: "ok-1", namespace: "", bandwidthMbps: "10000" })).toEqual({});
  });

  it("binds a pod with its stickiness and a service without it", () => {
    const ip = { name: "web-ip", namespace: "shop", resourceVersion: "7" };
    expect(bindInput(ip, { kind: "Pod", target: "web-1", sticky: true })).toEqual({
      ...ip,
      target: { kind: "Pod", name: "web-1" },
      sticky: true,
    });
    expect(bindInput(ip, { kind: "Service", target: "shop", sticky: true })).toEqual({
      ...ip,
      target: { kind: "Service", name: "shop" },
    });
  });

  it("puts a refusal at its field, or beside the form when no field holds it", () => {
    const atKind = { message: "only a LoadBalancer", data: { fieldErrors: { kind: ["only a LoadBalancer"] } } };
    expect(refusalAt(atKind, "name", "kind")).toBe("only a LoadBalancer");
    expect(refusalElsewhere(atKind, ["kind"])).toBeNull();
    const pool = { message: "no free public address in the pool", data: {} };
    expect(refusalAt(pool, "name")).toBeNull();
    expect(refusalElsewhere(pool, ["name", "bandwidthMbps"])).toBe("no free public address in the pool");
    expect(refusalElsewhere(null, ["name"])).toBeNull();
  });

  it("writes the target as kubectl does", () => {
    expect(targetText({ kind: "Pod", name: "web-1" })).toBe("pod/web-1");
    expect(targetText({ kind: "Service", name: "shop" })).toBe("service/shop");
    expect(targetText(undefined)).toBeNull();
  });
});
