import { describe, expect, it } from "vitest";
import { throttleClientOf } from "./throttle-address";

describe("throttleClientOf", () => {
  it("counts every address of one IPv6 /64 as one client", () => {
    const prefix = "2001:db8:1:2::/64";
    expect(throttleClientOf("2001:db8:1:2::1")).toBe(prefix);
    expect(throttleClientOf("2001:0db8:0001:0002:ffff:ffff:ffff:fffe")).toBe(prefix);
    expect(throttleClientOf("2001:DB8:1:2:a:b:c:d")).toBe(prefix);
    expect(throttleClientOf("[2001:db8:1:2::9]")).toBe(prefix);
    expect(throttleClientOf("2001:db8:1:3::1")).toBe("2001:db8:1:3::/64");
    expect(throttleClientOf("::1")).toBe("0:0:0:0::/64");
    expect(throttleClientOf("fe80::1%eth0")).toBe("fe80:0:0:0::/64");
  });

  it("counts an IPv4-mapped IPv6 address as its IPv4 address, and leaves IPv4 alone", () => {
    expect(throttleClientOf("::ffff:10.0.0.1")).toBe("10.0.0.1");
    expect(throttleClientOf("::ffff:a00:1")).toBe("10.0.0.1");
    expect(throttleClientOf("10.0.0.1")).toBe("10.0.0.1");
  });
});
