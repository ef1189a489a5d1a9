/**
 * Property: whatever tenants allocate and release, and however often the engine restarts from what
 * its store committed (a stop, or a crash mid-way: a new engine over the same store), no address is
 * ever held by two live PublicIPs, every PublicIP keeps the address it was given, and a tenant sees
 * only its own.
 */
import fc from "fast-check";
import { describe, expect, it } from "vitest";
import { type Harness, startHarness } from "../test-kit";

const TENANTS = ["t-a", "t-b", "t-c"];

type Step =
  | { t: "alloc"; tenant: number }
  | { t: "release"; tenant: number; pick: number }
  | { t: "advance"; ms: number }
  | { t: "restart" };

const step: fc.Arbitrary<Step> = fc.oneof(
  { weight: 5, arbitrary: fc.record({ t: fc.constant("alloc" as const), tenant: fc.integer({ min: 0, max: 2 }) }) },
  {
    weight: 3,
    arbitrary: fc.record({
      t: fc.constant("release" as const),
      tenant: fc.integer({ min: 0, max: 2 }),
      pick: fc.nat(20),
    }),
  },
  {
    weight: 1,
    arbitrary: fc.record({ t: fc.constant("advance" as const), ms: fc.integer({ min: 1_000, max: 400_000 }) }),
  },
  { weight: 2, arbitrary: fc.record({ t: fc.constant("restart" as const) }) },
);

async function fresh(): Promise<Harness> {
  const h = await startHarness({ config: { publicIpHoldMs: 60_000 } });
  for (const [i, t] of TENANTS.entries()) await h.engine.ensureTenantNamespace(t, `ns-${i}`);
  await h.engine.createPublicIpPool({ name: "small", spec: { cidrs: ["203.0.113.0/29"] } });
  return h;
}

function checkInvariants(h: Harness, given: Map<string, string>): void {
  const all = h.engine.listAllPublicIps({ limit: 1000 }).items;
  const addresses = all.map((p) => p.status.address);
  expect(new Set(addresses).size).toBe(addresses.length);
  for (const p of all) {
    const first = given.get(p.id);
    if (first !== undefined) expect(p.status.address).toBe(first);
    given.set(p.id, p.status.address);
  }
  for (const t of TENANTS)
    expect(h.engine.listPublicIps(t, { limit: 1000 }).items.every((p) => p.tenantId === t)).toBe(true);
  expect(h.engine.getPublicIpPool("small").usage.used).toBe(all.length);
}

describe("public IP allocation across restarts", () => {
  it("never gives one address to two live PublicIPs", async () => {
    await fc.assert(
      fc.asyncProperty(fc.array(step, { minLength: 1, maxLength: 40 }), async (steps) => {
        let h = await fresh();
        const given = new Map<string, string>();
        let n = 0;
        for (const s of steps) {
          if (s.t === "alloc") {
            const tenant = TENANTS[s.tenant] as string;
            await h.engine.createPublicIp(tenant, { name: `ip-${n++}` }).catch((e: { code?: string }) => {
              expect(e.code).toBe("CONFLICT");
            });
          } else if (s.t === "release") {
            const tenant = TENANTS[s.tenant] as string;
            const mine = h.engine.listPublicIps(tenant, { limit: 1000 }).items;
            const victim = mine[s.pick % Math.max(1, mine.length)];
            if (victim) {
              await h.engine.deletePublicIp(tenant, victim.name, { namespace: victim.namespace });
              given.delete(victim.id);
            }
          } else if (s.t === "advance") await h.engine.runFor(s.ms);
          else {
            await h.engine.stop();
            h = await startHarness({
              snapshot: h.store.snapshot(),
              startMs: h.clock.now(),
              config: { publicIpHoldMs: 60_000 },
            });
          }
          checkInvariants(h, given);
        }
        await h.engine.stop();
      }),
      { numRuns: 40 },
    );
  });
});
