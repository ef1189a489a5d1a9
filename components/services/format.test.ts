import { describe, expect, it } from "vitest";
import { externalAddress, portMapping, portsCell, selectorText } from "./format";

describe("service formatting", () => {
  it("writes ports as kubectl's PORT(S) cell", () => {
    expect(portsCell([])).toBe("<none>");
    expect(
      portsCell([
        { protocol: "TCP", port: 80, targetPort: 8080 },
        { protocol: "UDP", port: 53, targetPort: 53 },
      ]),
    ).toBe("80/TCP,53/UDP");
  });

  it("shows where a port goes, a named targetPort as its name", () => {
    expect(portMapping({ name: "http", protocol: "TCP", port: 80, targetPort: "web" })).toBe("http 80/TCP → web");
    expect(portMapping({ protocol: "TCP", port: 443, targetPort: 8443 })).toBe("443/TCP → 8443");
  });

  it("sorts a selector by key, <none> when empty", () => {
    expect(selectorText({ tier: "front", app: "web" })).toBe("app=web,tier=front");
    expect(selectorText(undefined)).toBe("<none>");
  });

  it("reads a LoadBalancer's public address, or pending in the reader's words", () => {
    expect(externalAddress("203.0.113.7", "pending")).toBe("203.0.113.7");
    expect(externalAddress("<pending>", "等待中")).toBe("等待中");
    expect(externalAddress("<none>", "pending")).toBe("<none>");
  });
});
