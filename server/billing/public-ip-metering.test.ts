/**
 * Public IP metering: the pure decisions over hand-made batches, then through the real engine
 * store and metering hook (PGlite, or PostgreSQL with TEST_DATABASE_URL): creation, a status
 * change, bandwidth changes, a month close between them, deletion, every batch replayed twice,
 * and the rated lines of the draft and the closed invoice.
 */
import { sql } from "drizzle-orm";
import fc from "fast-check";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import type { DatabaseHandle } from "@/db/client";
import type { MeterRow } from "@/db/queries/billing-metering";
import { operatorScope } from "@/db/scope";
import type { WriteBatch } from "../engine";
import { openTestDatabase } from "../testing/database";
import { closeMonth } from "./close";
import { monthStart, nextMonthStart } from "./period";
import { ratePeriod } from "./invoicing";
import { deriveMeterChanges } from "./metering";
import { publicIpMeter, publicIpMeterChanges } from "./public-ip-meters";
import { createOrganizations, makePublicIp, meteredStore, remove, resetBilling, upsert } from "./test-fixtures";

const HOUR = 3_600_000;
const JAN = Date.UTC(2026, 0, 1);
const FEB = Date.UTC(2026, 1, 1);
const T0 = Date.UTC(2026, 0, 31, 20);
const ADDRESS = "203.0.113.7";
const ip = (bandwidthMbps: number, extra: { boundPod?: string } = {}) =>
  makePublicIp({ id: "pip-1", tenantId: "t1", address: ADDRESS, bandwidthMbps, createdAt: T0, ...extra });

describe("public IP meters (pure)", () => {
  it("a batch's PublicIP upserts are candidates and its deletes end the resource", () => {
    const batch: WriteBatch = { ops: [...upsert(ip(5), T0).ops, ...remove("PublicIP", "pip-2", "t1", T0).ops], at: T0 };
    const changes = deriveMeterChanges(batch, T0);
    expect(changes.publicIps.map((p) => p.id)).toEqual(["pip-1"]);
    expect(changes.ends).toEqual(["pip-2"]);
    expect(changes.opens).toEqual([]);
  });

  it("opens at creation, ignores a same-bandwidth write, splits at a bandwidth change", () => {
    const first = publicIpMeter(ip(5), T0);
    expect(publicIpMeterChanges([ip(5)], [], T0)).toEqual({ opens: [first], ends: [] });
    expect(first).toMatchObject({ id: `publicip:pip-1@${T0}`, address: ADDRESS, bandwidthMbps: 5, kind: "publicip" });
    expect(publicIpMeterChanges([ip(5, { boundPod: "web-1" })], [first], T0 + HOUR)).toEqual({ opens: [], ends: [] });
    const changed = publicIpMeterChanges([ip(10)], [first], T0 + 2 * HOUR);
    expect(changed.ends).toEqual([first]);
    expect(changed.opens.map((m) => [m.id, m.startAt, m.bandwidthMbps])).toEqual([
      [`publicip:pip-1@${T0 + 2 * HOUR}`, T0 + 2 * HOUR, 10],
    ]);
  });

  it("a replayed older batch, or the change itself again, changes nothing", () => {
    const second: MeterRow = publicIpMeter(ip(10), T0 + 2 * HOUR);
    expect(publicIpMeterChanges([ip(5)], [second], T0)).toEqual({ opens: [], ends: [] });
    expect(publicIpMeterChanges([ip(10)], [second], T0 + 2 * HOUR)).toEqual({ opens: [], ends: [] });
    // No open meter (deleted since): the first meter's key again, which the insert skips.
    expect(publicIpMeterChanges([ip(10)], [], T0 + 2 * HOUR).opens.map((m) => m.id)).toEqual([`publicip:pip-1@${T0}`]);
  });
});

describe("public IP metering through the engine store", () => {
  let handle: DatabaseHandle;
  beforeAll(async () => {
    handle = await openTestDatabase();
  });
  afterAll(async () => handle.close());

  /** Jan 31 20:00 create (5 Mbit/s), 21:00 bound, 22:00 → 10 Mbit/s; Feb 1 02:00 → 20; 05:00 deleted. */
  const batches: WriteBatch[] = [
    upsert(ip(5), T0),
    upsert(ip(5, { boundPod: "web-1" }), T0 + HOUR),
    upsert(ip(10, { boundPod: "web-1" }), T0 + 2 * HOUR),
    upsert(ip(20, { boundPod: "web-1" }), T0 + 6 * HOUR),
    remove("PublicIP", "pip-1", "t1", T0 + 9 * HOUR),
  ];

  async function play(replays: boolean) {
    await resetBilling(handle.db);
    await createOrganizations(handle.db, ["t1"]);
    const store = meteredStore(handle.db);
    for (const [i, b] of batches.entries()) {
      if (b.at === T0 + 6 * HOUR) await closeMonth(handle.db, JAN, FEB);
      await store.commit(b);
      if (replays) for (const earlier of [...batches.slice(0, i + 1)].reverse()) await store.commit(earlier);
    }
    if (replays) for (const b of batches) for (let k = 0; k < 2; k++) await store.commit(b);
  }

  async function usage() {
    const r = await handle.db.execute(
      sql`select id, period, start_at, end_at, address, bandwidth_mbps from billing_usage order by start_at, id`,
    );
    const rows = ((r as unknown as { rows: Record<string, unknown>[] }).rows ?? r) as Record<string, unknown>[];
    return rows.map((x) => [Number(x.start_at), Number(x.end_at), Number(x.bandwidth_mbps), String(x.address)]);
  }

  it("meters creation to deletion, one meter per bandwidth, split at the month, whatever is replayed", async () => {
    await play(false);
    const clean = await usage();
    expect(clean).toEqual([
      [T0, T0 + 2 * HOUR, 5, ADDRESS],
      [T0 + 2 * HOUR, FEB, 10, ADDRESS],
      [FEB, T0 + 6 * HOUR, 10, ADDRESS],
      [T0 + 6 * HOUR, T0 + 9 * HOUR, 20, ADDRESS],
    ]);
    const open = await handle.db.execute(sql`select count(*)::int as n from billing_meter where end_at is null`);
    expect(((open as unknown as { rows: { n: number }[] }).rows ?? open)[0]?.n).toBe(0);

    await play(true);
    expect(await usage()).toEqual(clean); // replays and duplicates change nothing
  });

  it("rates the hours held and the Mbit/s-hours bought, on the closed invoice and the next month", async () => {
    await play(true);
    const lines = await handle.db.execute(
      sql`select l.resource, l.quantity, l.amount_minor from billing_invoice_line l
          join billing_invoice i on i.id = l.invoice_id where i.tenant_id = 't1' order by l.id`,
    );
    const closed = ((lines as unknown as { rows: Record<string, unknown>[] }).rows ?? lines) as Record<
      string,
      unknown
    >[];
    // January: 2 h at 5 Mbit/s, 2 h at 10 Mbit/s; $0.005 per IP-hour, $0.01 per Mbit/s-hour.
    expect(closed.map((l) => [l.resource, String(l.quantity), Number(l.amount_minor)])).toEqual([
      [`publicip:${ADDRESS}:5`, String(2 * HOUR), 1],
      [`bandwidth:${ADDRESS}:5`, String(10 * HOUR), 10],
      [`publicip:${ADDRESS}:10`, String(2 * HOUR), 1],
      [`bandwidth:${ADDRESS}:10`, String(20 * HOUR), 20],
    ]);
    const feb = await ratePeriod(handle.db, { period: FEB, now: Date.UTC(2026, 1, 2), scope: operatorScope });
    expect(feb.get("t1")?.lines.map((l) => [l.resource, l.quantity, l.amountMinor])).toEqual([
      [`publicip:${ADDRESS}:10`, BigInt(2 * HOUR), 1n],
      [`bandwidth:${ADDRESS}:10`, BigInt(20 * HOUR), 20n],
      [`publicip:${ADDRESS}:20`, BigInt(3 * HOUR), 2n],
      [`bandwidth:${ADDRESS}:20`, BigInt(60 * HOUR), 60n],
    ]);
  });

  it("bills exactly each IP's life and Mbit/s·ms, whatever is replayed, closing every month passed", async () => {
    const lifeArb = fc.record({
      created: fc.integer({ min: 0, max: 40 * 24 }).map((h) => T0 + h * HOUR + (h % 5) * 7),
      changes: fc.array(
        fc.record({
          after: fc.integer({ min: 1, max: 20 * 24 * 60 }).map((m) => m * 60_000),
          mbps: fc.integer({ min: 1, max: 3 }),
        }),
        { maxLength: 4 },
      ),
      initial: fc.integer({ min: 1, max: 3 }),
      deletedAfter: fc.option(fc.integer({ min: 1, max: 20 * 24 * 60 }).map((m) => m * 60_000)),
    });
    await fc.assert(
      fc.asyncProperty(
        fc.array(lifeArb, { minLength: 1, maxLength: 3 }),
        fc.array(fc.nat(1000), { maxLength: 8 }),
        async (lives, replays) => {
          const all: WriteBatch[] = [];
          const expected = lives.map((l, i) => {
            const make = (mbps: number) =>
              makePublicIp({
                id: `pip-${i}`,
                tenantId: "t1",
                address: `203.0.113.${i + 1}`,
                bandwidthMbps: mbps,
                createdAt: l.created,
              });
            all.push(upsert(make(l.initial), l.created));
            let at = l.created;
            const segments: [number, number][] = [[l.created, l.initial]];
            for (const c of l.changes) {
              at += c.after;
              all.push(upsert(make(c.mbps), at));
              if (c.mbps !== (segments[segments.length - 1] as [number, number])[1]) segments.push([at, c.mbps]);
            }
            const end = l.deletedAfter === null ? null : at + l.deletedAfter;
            if (end !== null) all.push(remove("PublicIP", `pip-${i}`, "t1", end));
            return { segments, end };
          });
          all.sort((a, b) => (a.at as number) - (b.at as number));
          const horizon = Math.max(...all.map((b) => b.at as number)) + HOUR;
          const run = async (withReplays: boolean) => {
            await resetBilling(handle.db);
            const store = meteredStore(handle.db);
            let open = monthStart(T0);
            for (const [i, b] of all.entries()) {
              for (; nextMonthStart(open) <= (b.at as number); open = nextMonthStart(open))
                await closeMonth(handle.db, open, nextMonthStart(open));
              await store.commit(b);
              if (withReplays)
                for (const r of replays)
                  if (r % all.length === i) await store.commit(all[Math.floor(r / all.length) % (i + 1)] as WriteBatch);
            }
            return usage();
          };
          const clean = await run(false);
          expect(await run(true)).toEqual(clean);
          const billed = await handle.db.execute(sql`
          select resource_id, sum(ms)::text as ms, sum(ms * mbps)::text as mbps_ms from (
            select m.resource_id, u.end_at - u.start_at as ms, u.bandwidth_mbps as mbps from billing_usage u join billing_meter m on m.id = u.meter_id
            union all select resource_id, greatest(${horizon}::bigint - billed_from, 0), bandwidth_mbps from billing_meter where end_at is null
          ) x group by resource_id order by resource_id`);
          const rows = ((billed as unknown as { rows: Record<string, unknown>[] }).rows ?? billed) as Record<
            string,
            unknown
          >[];
          const byId = new Map(rows.map((r) => [String(r.resource_id), [Number(r.ms), Number(r.mbps_ms)]]));
          expected.forEach(({ segments, end }, i) => {
            const until = end ?? horizon;
            let ms = 0;
            let mbpsMs = 0;
            segments.forEach(([from, mbps], k) => {
              const to = Math.min(until, segments[k + 1]?.[0] ?? until);
              if (to > from) {
                ms += to - from;
                mbpsMs += (to - from) * mbps;
              }
            });
            expect(byId.get(`pip-${i}`)).toEqual([ms, mbpsMs]);
          });
        },
      ),
      { numRuns: 15 },
    );
  }, 120_000);

  it("an address held but never bound is billed until released, and the open meter up to now", async () => {
    await resetBilling(handle.db);
    const store = meteredStore(handle.db);
    await store.commit(
      upsert(
        makePublicIp({ id: "pip-9", tenantId: "t2", address: "203.0.113.9", bandwidthMbps: 1, createdAt: FEB }),
        FEB,
      ),
    );
    const rated = await ratePeriod(handle.db, { period: FEB, now: FEB + 10 * HOUR, scope: operatorScope });
    expect(rated.get("t2")?.lines.map((l) => [l.resource, l.quantity])).toEqual([
      ["publicip:203.0.113.9:1", BigInt(10 * HOUR)],
      ["bandwidth:203.0.113.9:1", BigInt(10 * HOUR)],
    ]);
  });
});
