/**
 * `security.ruleHits` through the API: a viewer reads what each rule of one of the tenant's
 * groups admitted, as monitoring's counters hold it for that tenant; the counters are read under
 * the caller's tenant only, so a name another tenant also uses answers with the caller's own
 * figures, and a name only another tenant has is NOT_FOUND.
 */
import { afterAll, beforeAll, describe, expect, it, vi } from "vitest";
import type { GroupRuleHits } from "@/server/monitoring/network-rule-hit-counters";
import { createHarness, type Harness, type TestUser } from "@/server/testing/harness";
import { joinByInvitation } from "@/server/testing/join";

let h: Harness;
let owner: TestUser;
let viewer: TestUser;
let other: TestUser;
let ours: string;
let theirs: string;

const allowHttps = {
  protocol: "tcp" as const,
  portRangeMin: 443,
  portRangeMax: 443,
  remoteAddress: "0.0.0.0/0",
  action: "allow" as const,
  priority: 100,
};

/** Monitoring's counters as a fake that answers per tenant and group. */
const counted = new Map<string, GroupRuleHits[]>();

beforeAll(async () => {
  h = await createHarness();
  owner = await h.signUp("owner@hits.test");
  viewer = await h.signUp("viewer@hits.test");
  other = await h.signUp("other@hits.test");
  ours = (await (await owner.caller()).tenants.create({ name: "Hits", slug: "hits-shop" })).id;
  await joinByInvitation(await owner.caller(), viewer, "viewer");
  await (await viewer.caller()).tenants.switch({ id: ours });
  theirs = (await (await other.caller()).tenants.create({ name: "Elsewhere", slug: "hits-elsewhere" })).id;
  vi.spyOn(h.services.monitoring.counters, "hitsOfGroup").mockImplementation(
    (tenantId, group) => counted.get(`${tenantId}/${group}`) ?? [],
  );
}, 60_000);
afterAll(async () => h.close());

describe("security.ruleHits", () => {
  it("answers each admitting rule of the group with its packets, bytes and pods", async () => {
    await (await owner.caller()).security.create({
      name: "web",
      ingressRules: [allowHttps],
      allowSameGroupTraffic: true,
    });
    const c = await viewer.caller();
    expect(await c.security.ruleHits({ name: "web" })).toEqual({ items: [] });
    counted.set(`${ours}/web`, [
      { direction: "ingress", rule: 0, packets: 1200, bytes: 3_400_000, pods: 2 },
      { direction: "ingress", rule: "same-group", packets: 5, bytes: 500, pods: 1 },
    ]);
    expect((await c.security.ruleHits({ name: "web" })).items).toEqual([
      { direction: "ingress", rule: 0, packets: 1200, bytes: 3_400_000, pods: 2 },
      { direction: "ingress", rule: "same-group", packets: 5, bytes: 500, pods: 1 },
    ]);
  });

  it("never answers another tenant's figures: its name is NOT_FOUND, and a shared name reads our own", async () => {
    const o = await other.caller();
    await expect(o.security.ruleHits({ name: "web" })).rejects.toMatchObject({ code: "NOT_FOUND" });
    await o.security.create({ name: "web", ingressRules: [allowHttps] });
    counted.set(`${theirs}/web`, [{ direction: "egress", rule: 0, packets: 7, bytes: 700, pods: 1 }]);
    expect((await o.security.ruleHits({ name: "web" })).items).toEqual([
      { direction: "egress", rule: 0, packets: 7, bytes: 700, pods: 1 },
    ]);
    expect((await (await viewer.caller()).security.ruleHits({ name: "web" })).items).toHaveLength(2);
    await expect((await viewer.caller()).security.ruleHits({ name: "ghost" })).rejects.toMatchObject({
      code: "NOT_FOUND",
    });
  });
});
