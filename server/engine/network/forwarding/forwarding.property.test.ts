/**
 * Incremental updates equal a build from scratch, and both decide as the global iptables
 * baseline does: random sequences of upserts, removals and endpoint changes over two tenants
 * with overlapping ClusterIPs and a shared public pool.
 */
import fc from "fast-check";
import { describe, expect, it } from "vitest";
import { parseIpv4 } from "../ipv4";
import type { ServiceEndpoint } from "./backends";
import { service } from "./fixtures.test-kit";
import { ForwardingTables } from "./forwarding-tables";
import { GlobalIptablesProxy } from "./iptables-baseline";
import { loadBalancerIpOf, PROTOCOL_CODE, type ServiceLike, type ServiceProtocol, serviceKey } from "./service";
import type { BackendSlot } from "./tenant-table";

const TENANTS = ["A", "B"];
const PORTS: { name: string; port: number; protocol: ServiceProtocol }[] = [
  { name: "p80", port: 80, protocol: "TCP" },
  { name: "p53", port: 53, protocol: "UDP" },
  { name: "p443", port: 443, protocol: "TCP" },
];
const vip = (i: number) => `10.96.0.${i + 1}`;
const publicIp = (i: number) => `203.0.113.${i + 1}`;

const upsertOp = fc.record({
  op: fc.constant("upsert" as const),
  tenant: fc.integer({ min: 0, max: 1 }),
  name: fc.integer({ min: 0, max: 4 }),
  vip: fc.integer({ min: 0, max: 5 }),
  ports: fc.subarray([0, 1, 2], { minLength: 1 }),
  affinity: fc.boolean(),
  lb: fc.option(fc.integer({ min: 0, max: 3 }), { nil: undefined }),
});
const removeOp = fc.record({
  op: fc.constant("remove" as const),
  tenant: fc.integer({ min: 0, max: 1 }),
  name: fc.integer({ min: 0, max: 4 }),
});
const endpointOp = fc.record({
  op: fc.constant("endpoints" as const),
  tenant: fc.integer({ min: 0, max: 1 }),
  name: fc.integer({ min: 0, max: 4 }),
  endpoints: fc.array(
    fc.record({
      ip: fc.integer({ min: 1, max: 8 }),
      ready: fc.boolean(),
      serving: fc.boolean(),
      terminating: fc.boolean(),
      ports: fc.subarray([0, 1, 2]),
      target: fc.integer({ min: 8000, max: 8002 }),
    }),
    { maxLength: 6 },
  ),
});
const ops = fc.array(fc.oneof(upsertOp, removeOp, endpointOp), { maxLength: 40 });

type Model = Map<string, { services: Map<string, ServiceLike>; endpoints: Map<string, ServiceEndpoint[]> }>;

function conflictExpected(model: Model, tenant: string, svc: ServiceLike): boolean {
  const key = serviceKey(svc);
  const lb = loadBalancerIpOf(svc);
  for (const [t, m] of model)
    for (const [k, other] of m.services) {
      if (t === tenant && k === key) continue;
      const otherLb = loadBalancerIpOf(other);
      if (
        t === tenant &&
        (other.spec.clusterIP === svc.spec.clusterIP || (lb !== undefined && otherLb === svc.spec.clusterIP))
      )
        return true;
      if (t === tenant && lb !== undefined && (other.spec.clusterIP === lb || otherLb === lb)) return true;
      if (t !== tenant && lb !== undefined && otherLb === lb) return true;
    }
  return false;
}

function buildFromScratch(model: Model): ForwardingTables {
  const tables = new ForwardingTables();
  for (const [tenant, m] of model) {
    const t = tables.forTenant(tenant);
    for (const s of m.services.values()) t.upsertService(s);
    for (const [key, eps] of m.endpoints) {
      const [namespace, name] = key.split("/") as [string, string];
      t.setEndpoints({ namespace, name }, eps);
    }
  }
  return tables;
}

describe("forwarding tables: incremental = from scratch = global baseline", () => {
  it("holds for random operation sequences", () => {
    const outcomes: string[] = [];
    fc.assert(
      fc.property(ops, (sequence) => {
        const incremental = new ForwardingTables();
        const baseline = new GlobalIptablesProxy();
        const model: Model = new Map(TENANTS.map((t) => [t, { services: new Map(), endpoints: new Map() }]));
        for (const o of sequence) {
          const tenant = TENANTS[o.tenant] as string;
          const m = model.get(tenant) as NonNullable<ReturnType<Model["get"]>>;
          const ref = { namespace: "ns", name: `svc${o.name}` };
          if (o.op === "upsert") {
            const svc = service(
              ref.name,
              {
                type: o.lb === undefined ? "ClusterIP" : "LoadBalancer",
                clusterIP: vip(o.vip),
                ports: o.ports.map((i) => ({ ...(PORTS[i] as (typeof PORTS)[number]), targetPort: 9000 + i })),
                sessionAffinity: o.affinity ? "ClientIP" : "None",
              },
              { namespace: "ns", ...(o.lb === undefined ? {} : { publicIp: publicIp(o.lb) }) },
            );
            const expectConflict = conflictExpected(model, tenant, svc);
            let threw = false;
            try {
              incremental.forTenant(tenant).upsertService(svc);
            } catch {
              threw = true;
            }
            expect(threw).toBe(expectConflict);
            if (threw) continue;
            m.services.set(serviceKey(ref), svc);
            baseline.upsertService(tenant, svc);
          } else if (o.op === "remove") {
            incremental.forTenant(tenant).removeService(ref);
            m.services.delete(serviceKey(ref));
            baseline.removeService(tenant, ref);
          } else {
            const eps: ServiceEndpoint[] = o.endpoints.map((e) => ({
              ip: parseIpv4(`10.0.0.${e.ip}`),
              ready: e.ready,
              serving: e.serving,
              terminating: e.terminating,
              ports: e.ports.map((i) => ({ ...(PORTS[i] as (typeof PORTS)[number]), port: e.target })),
            }));
            incremental.forTenant(tenant).setEndpoints(ref, eps);
            if (eps.length === 0) m.endpoints.delete(serviceKey(ref));
            else m.endpoints.set(serviceKey(ref), eps);
            baseline.setEndpoints(tenant, ref, eps);
          }
        }
        baseline.sync();
        const scratch = buildFromScratch(model);
        for (const tenant of TENANTS) {
          expect(incremental.forTenant(tenant).entries()).toEqual(scratch.forTenant(tenant).entries());
          expect(incremental.forTenant(tenant).dns.entries()).toEqual(scratch.forTenant(tenant).dns.entries());
        }
        // Every decision of the three, collected and compared once per run.
        const decide = (outcome: string, slot: BackendSlot) =>
          outcome === "forwarded" ? `${slot.ip}:${slot.port}` : outcome;
        const slot: BackendSlot = { ip: 0, port: 0 };
        const got = { incremental: [] as string[], scratch: [] as string[], baseline: [] as string[] };
        const destinations = [...[0, 1, 2, 3, 4, 5, 6].map(vip), ...[0, 1, 2, 3].map(publicIp)].map(parseIpv4);
        for (const dst of destinations)
          for (const port of [80, 53, 443, 8080])
            for (const proto of [PROTOCOL_CODE.TCP, PROTOCOL_CODE.UDP])
              for (const src of [1, 2, 3]) {
                const srcIp = parseIpv4(`10.0.5.${src}`);
                const srcPort = 40000 + src;
                for (const tenant of TENANTS) {
                  got.incremental.push(
                    decide(incremental.forTenant(tenant).route(dst, port, proto, srcIp, srcPort, slot), slot),
                  );
                  got.scratch.push(
                    decide(scratch.forTenant(tenant).route(dst, port, proto, srcIp, srcPort, slot), slot),
                  );
                  const mark = baseline.markOf(tenant);
                  got.baseline.push(decide(baseline.route(mark, dst, port, proto, srcIp, srcPort, slot), slot));
                }
                got.incremental.push(decide(incremental.routePublic(dst, port, proto, srcIp, srcPort, slot), slot));
                got.scratch.push(decide(scratch.routePublic(dst, port, proto, srcIp, srcPort, slot), slot));
                got.baseline.push(decide(baseline.routePublic(dst, port, proto, srcIp, srcPort, slot), slot));
              }
        expect(got.scratch).toEqual(got.incremental);
        expect(got.baseline).toEqual(got.incremental);
        outcomes.push(...got.incremental);
      }),
      { numRuns: 150, seed: 14 },
    );
    // The sequences reach every kind of decision, so the equalities above compare something.
    const kinds = new Set(outcomes.map((o) => (o.includes(":") ? "forwarded" : o)));
    expect([...kinds].sort()).toEqual(["forwarded", "no-ready-endpoints", "no-such-service", "port-not-exposed"]);
  });
});
