import { describe, expect, it } from "vitest";
import { parseIpv4 } from "../../network/ipv4";
import { DEFAULT_PACKET_BYTES, describeFlowProblem, MAX_FLOWS_PER_CONTAINER, parseSimTraffic } from "./flow-spec";

describe("parseSimTraffic", () => {
  it("reads every target kind, defaults and both separators", () => {
    const { flows, problems } = parseSimTraffic(
      "to=svc/db;port=5432;rate=20M;size=1400 | to=internet;port=443;rate=500k, to=pod/web-0.shop;proto=udp;port=53;rate=1M;size=64,to=10.0.0.7;proto=icmp;rate=1k",
    );
    expect(problems).toEqual([]);
    expect(flows).toEqual([
      {
        to: { kind: "service", name: "db" },
        protocol: "tcp",
        port: 5432,
        bitsPerSecond: 20_000_000,
        packetBytes: 1400,
      },
      {
        to: { kind: "internet" },
        protocol: "tcp",
        port: 443,
        bitsPerSecond: 500_000,
        packetBytes: DEFAULT_PACKET_BYTES,
      },
      {
        to: { kind: "pod", name: "web-0", namespace: "shop" },
        protocol: "udp",
        port: 53,
        bitsPerSecond: 1_000_000,
        packetBytes: 64,
      },
      {
        to: { kind: "address", ip: parseIpv4("10.0.0.7") },
        protocol: "icmp",
        port: 0,
        bitsPerSecond: 1000,
        packetBytes: 1400,
      },
    ]);
  });

  it("reads spoofed source addresses (anti-spoofing demos)", () => {
    const { flows } = parseSimTraffic("to=internet;port=80;rate=1M;spoof-ip=10.0.9.9;spoof-mac=0A:58:00:00:00:FF");
    expect(flows[0]).toMatchObject({ spoofIp: parseIpv4("10.0.9.9"), spoofMac: "0a:58:00:00:00:ff" });
  });

  it("treats an absent or blank value as no flows", () => {
    expect(parseSimTraffic(undefined)).toEqual({ flows: [], problems: [] });
    expect(parseSimTraffic("  ")).toEqual({ flows: [], problems: [] });
  });

  it.each([
    ["port=80;rate=1M", "to: required"],
    ["to=internet;rate=1M", "port: required for tcp"],
    ["to=internet;port=0;rate=1M", 'port: "0" must be an integer from 1 to 65535'],
    ["to=internet;port=80;rate=10Mbit", 'rate: "10Mbit" must be bits per second'],
    ["to=internet;port=80;rate=0", 'rate: "0" must be bits per second'],
    ["to=internet;port=80;rate=1M;size=9001", 'size: "9001" must be an integer from 1 to 9000'],
    ["to=internet;proto=icmp;port=1;rate=1M", "port: icmp has no port"],
    ["to=internet;proto=sctp;port=1;rate=1M", 'proto: "sctp" must be tcp, udp or icmp'],
    ["to=host/x;port=1;rate=1M", 'to: unknown target kind "host"'],
    ["to=svc/Bad_Name;port=1;rate=1M", 'to: "svc/Bad_Name" must be svc/<name>'],
    ["to=svc/a.b.c;port=1;rate=1M", "must be svc/<name> or svc/<name>.<namespace>"],
    ["to=10.0.0;port=1;rate=1M", 'to: "10.0.0" is not internet'],
    ["to=internet;port=1;rate=1M;colour=red", "colour: unknown key"],
    ["to=internet;port=1;port=2;rate=1M", "port: given twice"],
    ["to=internet;port=1;rate", "rate: expected key=value"],
    ["to=internet;port=1;rate=1M;spoof-mac=zz", 'spoof-mac: "zz" must be a MAC'],
  ])("refuses %s with the field named", (text, message) => {
    const { flows, problems } = parseSimTraffic(text);
    expect(flows).toEqual([]);
    expect(problems).toHaveLength(1);
    expect(problems[0]?.message).toContain(message);
  });

  it("keeps the valid flows beside an invalid one, naming its position", () => {
    const { flows, problems } = parseSimTraffic(
      "to=internet;port=80;rate=1M|to=nowhere;rate=1M|to=internet;port=81;rate=2M",
    );
    expect(flows.map((f) => f.port)).toEqual([80, 81]);
    expect(problems).toEqual([{ flow: 2, text: "to=nowhere;rate=1M", message: expect.stringContaining("to:") }]);
    expect(describeFlowProblem("app", problems[0] as (typeof problems)[number])).toBe(
      `SIM_TRAFFIC of container app, flow 2 ("to=nowhere;rate=1M") ignored: ${problems[0]?.message}`,
    );
  });

  it("refuses flows beyond the per-container limit", () => {
    const many = Array.from({ length: MAX_FLOWS_PER_CONTAINER + 2 }, (_, i) => `to=internet;port=${i + 1};rate=1M`);
    const { flows, problems } = parseSimTraffic(many.join(","));
    expect(flows).toHaveLength(MAX_FLOWS_PER_CONTAINER);
    expect(problems.map((p) => p.flow)).toEqual([MAX_FLOWS_PER_CONTAINER + 1, MAX_FLOWS_PER_CONTAINER + 2]);
  });
});
