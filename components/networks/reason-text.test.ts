import { describe, expect, it } from "vitest";
import en from "@/messages/en/networks.json";
import zh from "@/messages/zh-CN/networks.json";
import type { DropReasonViewOut } from "@/server/trpc/views/networks";
import { type ReasonTranslator, reasonText } from "./reason-text";

/** A translator over a catalog's `networks.check`, filling `{name}` placeholders as next-intl does. */
function translator(catalog: typeof en): ReasonTranslator {
  const lookup = (key: string): unknown =>
    key
      .split(".")
      .reduce<unknown>((node, part) => (node as Record<string, unknown> | undefined)?.[part], catalog.networks.check);
  const t = (key: string, values: Record<string, string | number> = {}) => {
    const text = lookup(key);
    if (typeof text !== "string") throw new Error(`no message ${key}`);
    return text.replace(/\{(\w+)\}/g, (_, name: string) => String(values[name] ?? `{${name}}`));
  };
  return Object.assign(t, { has: (key: string) => typeof lookup(key) === "string" });
}

const instant = (ms: number) => new Date(ms).toISOString();
const say = (catalog: typeof en, reason: DropReasonViewOut, message = "the engine's words") =>
  reasonText(translator(catalog), reason, message, instant);

describe("a drop reason in the reader's language", () => {
  it("says a security group's deciding rule, numbered as the editor numbers it", () => {
    const r: DropReasonViewOut = {
      code: "ingress-denied",
      pod: "shop/web-1",
      groups: ["web"],
      group: "web",
      ruleIndex: 0,
    };
    expect(say(en, r)).toBe("Dropped by inbound rule 1 of security group web.");
    expect(say(zh, r)).toBe("被安全组 web 的入站规则 1 丢弃。");
    const none: DropReasonViewOut = {
      code: "ingress-denied",
      pod: "shop/web-1",
      groups: ["web", "base"],
      protocol: "tcp",
      port: 22,
      remote: "192.0.2.1",
    };
    expect(say(en, none)).toBe(
      "Dropped: no inbound rule of pod shop/web-1's security groups (web, base) allows TCP 22 from 192.0.2.1.",
    );
  });

  it("keeps a port ban's operator-written reason as written", () => {
    const r: DropReasonViewOut = {
      code: "port-blocked",
      entryId: "smtp",
      protocol: "tcp",
      port: 25,
      reason: "Outbound mail is not allowed",
    };
    expect(say(en, r)).toBe(
      "Dropped by the operator's blocklist entry smtp: TCP 25 is banned for every tenant. The operator's reason: Outbound mail is not allowed",
    );
    expect(say(zh, r)).toContain("Outbound mail is not allowed");
    expect(say(zh, r)).toContain("TCP 25");
  });

  it("says a DDoS black hole with its end, and each no-route cause", () => {
    const until = Date.UTC(2026, 11, 4, 19, 0, 0);
    const r: DropReasonViewOut = { code: "blackholed", address: "203.0.113.5", side: "destination", until };
    expect(say(en, r)).toBe(
      "Dropped: the public IP 203.0.113.5 is black-holed by DDoS protection until 2026-12-04T19:00:00.000Z.",
    );
    expect(say(zh, r)).toBe("已丢弃：公网 IP 203.0.113.5 被 DDoS 防护黑洞，直到 2026-12-04T19:00:00.000Z。");
    expect(say(en, { code: "no-route", cause: "no-public-target", address: "203.0.113.9" })).toBe(
      "No route: the public address 203.0.113.9 is not bound to any of your pods or LoadBalancers.",
    );
    expect(say(zh, { code: "no-route", cause: "no-port-at-address", address: "10.0.0.250" })).toBe(
      "无路由：你的网络中没有 Pod 持有 10.0.0.250。",
    );
  });

  it("falls back to the engine's sentence for what the catalog cannot say", () => {
    expect(say(en, { code: "no-route", address: "10.0.0.250" }, "no route: the engine's words")).toBe(
      "no route: the engine's words",
    );
    expect(say(en, { code: "blackholed", address: "203.0.113.5" }, "dropped: black-holed")).toBe(
      "dropped: black-holed",
    );
    const t = Object.assign(() => "never", { has: () => false });
    expect(reasonText(t, { code: "network-policy", direction: "ingress" }, "the engine's", instant)).toBe(
      "the engine's",
    );
  });
});
