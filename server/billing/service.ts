/**
 * The billing service: metering hook, jobs on the engine clock, and the reads and writes the
 * routers need. Jobs (month close, hourly account check, nightly reconciliation) run one at a
 * time in a chain, each idempotent and resumable from durable cursors, so a crash or a
 * duplicate timer never does anything twice.
 */
import type { Database } from "@/db/client";
import {
  addLedgerEntry,
  findAccount,
  grantOnce,
  ledgerBalances,
  listAccounts,
  listTenantIds,
  lockAccount,
  recordBillingEvent,
  saveAccount,
  type AccountRow,
} from "@/db/queries/billing";
import { insertMeters, listOpenMeters, readCursor, writeCursor } from "@/db/queries/billing-metering";
import { operatorScope, tenantScope } from "@/db/scope";
import { isEngineError, type Clock, type GrowthFreeze, type MessageRef } from "../engine";
import type { Orchestrator } from "../engine/api/orchestrator";
import { createJobFaults } from "../job-faults";
import { CLOSED_THROUGH, closeMonth, type CloseOptions } from "./close";
import { forecastLines, loadPlanBook, ratePeriod } from "./invoicing";
import { deriveMeterChanges, METER_FLOOR, meteringHook } from "./metering";
import { PUBLIC_IP_METER_KIND, publicIpMeter } from "./public-ip-meters";
import { DAY_MS, HOUR_MS, monthStart, nextMonthStart } from "./period";
import { sumMinor } from "./rating";

export interface BillingOptions {
  /** A negative balance older than this blocks creating and scaling up (default 3 days). */
  graceMs: number;
  /** After a further grace, workloads are scaled to zero (default 7 days). */
  suspendAfterMs: number;
  accountCheckEveryMs: number;
  /** Credit every new tenant receives once (minor units; 0 for none). */
  welcomeCreditMinor: bigint;
}

export const DEFAULT_BILLING_OPTIONS: BillingOptions = {
  graceMs: 3 * DAY_MS,
  suspendAfterMs: 7 * DAY_MS,
  accountCheckEveryMs: HOUR_MS,
  welcomeCreditMinor: 5_000n,
};

export type Billing = ReturnType<typeof createBilling>;

export function createBilling(deps: {
  db: Database;
  clock: Clock;
  engine: Orchestrator;
  options?: Partial<BillingOptions>;
}) {
  const { db, clock, engine } = deps;
  const options = { ...DEFAULT_BILLING_OPTIONS, ...deps.options };
  const timers = new Set<number>();
  /** Failure injection for the jobs (tests), as the engine's memory store has `failNextCommits`. */
  const faults = createJobFaults();
  let chain: Promise<unknown> = Promise.resolve();
  let stopped = true;

  /** One job at a time; a failing job is logged and retried by its next timer. */
  const run = <T>(job: () => Promise<T>): Promise<T> => {
    const next = chain.then(job, job);
    chain = next.catch((e: unknown) => console.error("billing: job failed", e));
    return next;
  };
  const alive = () => !stopped && engine.isRunning();
  /**
   * A recurring job. It is told the instant it was due: a job queued behind a slow one (or
   * behind a virtual clock racing ahead) still judges the moment it was meant for.
   */
  const every = (firstAt: number, nextAt: (t: number) => number, job: (dueAt: number) => Promise<unknown>) => {
    const arm = (at: number) => {
      const h = clock.setTimer(at, () => {
        timers.delete(h);
        if (!alive()) return;
        void run(() => job(at)).catch(() => undefined);
        arm(nextAt(clock.now()));
      });
      timers.add(h);
    };
    arm(firstAt);
  };

  async function closeDueMonths(closeOptions?: CloseOptions): Promise<number> {
    let closed = 0;
    for (;;) {
      const through = (await readCursor(db, CLOSED_THROUGH)) ?? monthStart(clock.now());
      if (nextMonthStart(through) > clock.now()) return closed;
      await closeMonth(db, through, clock.now(), { faults, ...closeOptions });
      closed++;
    }
  }

  /** Credit minus the month so far, read through `t` (a transaction, or the database). */
  async function readBalance(t: Database, tenantId: string, now: number) {
    const [ledger, rated] = await Promise.all([
      ledgerBalances(t, tenantScope(tenantId)),
      ratePeriod(t, { period: monthStart(now), now, scope: tenantScope(tenantId) }),
    ]);
    const ledgerMinor = ledger.get(tenantId) ?? 0n;
    const monthMinor = rated.get(tenantId)?.totalMinor ?? 0n;
    return { ledgerMinor, monthMinor, availableMinor: ledgerMinor - monthMinor };
  }

  async function balanceOf(tenantId: string) {
    const now = clock.now();
    if (options.welcomeCreditMinor > 0n)
      await grantOnce(db, [tenantId], now, options.welcomeCreditMinor, "Welcome credit");
    const [balance, account] = await Promise.all([readBalance(db, tenantId, now), findAccount(db, tenantId)]);
    return { ...balance, account };
  }

  async function scaleTo(
    tenantId: string,
    replicas: Record<string, number>,
    reason: string,
    message: (name: string, n: number) => string,
  ) {
    for (const [id, n] of Object.entries(replicas)) {
      const d = findDeployment(tenantId, id);
      // Deleted meanwhile, or already there (an hourly check of a suspended tenant): nothing to say.
      if (!d || d.spec.replicas === n) continue;
      await engine.scaleDeployment(tenantId, id, n);
      const type = reason === "WorkloadsSuspended" ? "Warning" : "Normal";
      await recordBillingEvent(db, { tenantId, at: clock.now(), type, reason, message: message(d.name, n) });
      // Also in the tenant's event stream, beside the scaling it explains.
      await engine.recordEvent(tenantId, {
        objectKind: "Deployment",
        objectName: d.name,
        type,
        reason,
        message: message(d.name, n),
      });
    }
  }

  /**
   * Growth is frozen in the engine's admission (so no command and no later API can skip it)
   * while the balance has been negative past the grace period, or workloads are suspended.
   */
  function applyGrowthRule(
    tenantId: string,
    account: Pick<AccountRow, "negativeSince" | "suspendedAt"> | null,
    now: number,
  ) {
    const since = account?.negativeSince ?? null;
    const frozen = since !== null && (account?.suspendedAt != null || now - since >= options.graceMs);
    engine.setGrowthFrozen(tenantId, frozen ? growthFreeze(since, options.graceMs) : undefined);
  }

  /** A deployment by id (however many the tenant has), or undefined when it is gone. */
  function findDeployment(tenantId: string, id: string) {
    try {
      return engine.getDeployment(tenantId, id);
    } catch (e) {
      if (isEngineError(e) && e.code === "NOT_FOUND") return undefined;
      throw e;
    }
  }

  /**
   * The overdue rule for one tenant, from a fresh balance read under the account's row lock
   * (a credit inserts under the same lock), so no decision rests on a stale balance: a
   * payment committed before it is always seen. The decision is written in that transaction;
   * the engine is told after the commit (never from inside it: the engine writes too).
   */
  async function settleAccount(tenantId: string, now = clock.now()) {
    const decided = await db.transaction(async (tx) => {
      const t = tx as unknown as Database;
      const account = await lockAccount(t, tenantId);
      const balance = await readBalance(t, tenantId, now);
      if (balance.availableMinor >= 0n) return { balance, account, negative: false as const };
      const since = account.negativeSince ?? now;
      const newlyNegative = account.negativeSince == null;
      if (newlyNegative) {
        await saveAccount(t, {
          tenantId,
          negativeSince: since,
          suspendedAt: account.suspendedAt,
          suspendedReplicas: account.suspendedReplicas,
        });
        await recordBillingEvent(t, {
          tenantId,
          at: now,
          type: "Warning",
          reason: "BalanceNegative",
          message: negativeText(),
        });
      }
      let suspended: Record<string, number> | null = null;
      if (now - since >= options.graceMs + options.suspendAfterMs) {
        suspended =
          account.suspendedReplicas ??
          Object.fromEntries(
            listAllDeployments(tenantId)
              .filter((d) => d.spec.replicas > 0)
              .map((d) => [d.id, d.spec.replicas]),
          );
        if (account.suspendedAt == null)
          await saveAccount(t, { tenantId, negativeSince: since, suspendedAt: now, suspendedReplicas: suspended });
      }
      return { balance, account, negative: true as const, since, newlyNegative, suspended };
    });
    const { account } = decided;
    if (decided.negative) {
      applyGrowthRule(
        tenantId,
        { negativeSince: decided.since, suspendedAt: account.suspendedAt ?? (decided.suspended ? now : null) },
        now,
      );
      if (decided.newlyNegative)
        await engine.recordEvent(tenantId, {
          objectKind: "Billing",
          objectName: "balance",
          type: "Warning",
          reason: "BalanceNegative",
          message: negativeText(),
        });
      if (decided.suspended) {
        const zero = Object.fromEntries(Object.keys(decided.suspended).map((id) => [id, 0]));
        await scaleTo(
          tenantId,
          zero,
          "WorkloadsSuspended",
          (name) =>
            `Scaled deployment "${name}" to 0 replicas: the balance has been negative for more than ${span(options.graceMs + options.suspendAfterMs)}. Top up to restore it.`,
        );
      }
    } else if (account.negativeSince != null || account.suspendedAt != null) {
      // Thawed first: restoring the suspended replicas is growth. Cleared only once restored.
      applyGrowthRule(tenantId, null, now);
      if (account.suspendedReplicas) {
        await scaleTo(
          tenantId,
          account.suspendedReplicas,
          "WorkloadsRestored",
          (name, n) =>
            `Restored deployment "${name}" to ${n} replica${n === 1 ? "" : "s"}: the balance is positive again.`,
        );
      }
      await saveAccount(db, { tenantId, negativeSince: null, suspendedAt: null, suspendedReplicas: null });
    }
    return decided.balance;
  }

  const negativeText = () =>
    `The balance is negative. Top up within ${span(options.graceMs)} to keep creating and scaling workloads.`;

  function listAllDeployments(tenantId: string) {
    const out = [];
    let cursor: string | undefined;
    do {
      const page = engine.listDeployments(tenantId, { limit: 500, cursor });
      out.push(...page.items);
      cursor = page.nextCursor ?? undefined;
    } while (cursor);
    return out;
  }

  /** The hourly overdue check, as of `now` (the instant it was due). */
  async function checkAccounts(now = clock.now()): Promise<void> {
    const tenants = await listTenantIds(db);
    if (options.welcomeCreditMinor > 0n) {
      await grantOnce(db, tenants, now, options.welcomeCreditMinor, "Welcome credit");
    }
    const [ledger, rated, accounts] = await Promise.all([
      ledgerBalances(db, operatorScope),
      ratePeriod(db, { period: monthStart(now), now, scope: operatorScope }),
      listAccounts(db),
    ]);
    const byTenant = new Map(accounts.map((a) => [a.tenantId, a]));
    // The bulk read only picks the tenants to look at: each is settled from a fresh read,
    // since a top-up may commit while this loop works through the others.
    for (const t of tenants.sort()) {
      const account = byTenant.get(t);
      const available = (ledger.get(t) ?? 0n) - (rated.get(t)?.totalMinor ?? 0n);
      if (available < 0n || account?.negativeSince != null || account?.suspendedAt != null) await settleAccount(t, now);
    }
  }

  /** Compares the engine's held resources (public IPs too) with open meters; repairs missing meters, reports all. */
  async function reconcile(): Promise<{ missing: number; stale: number }> {
    await engine.whenIdle();
    const now = clock.now();
    const held = deriveMeterChanges(
      {
        ops: [...engine.eachObject("Pod"), ...engine.eachObject("Node"), ...engine.eachObject("PublicIP")].map(
          (object) => ({ op: "upsert" as const, object }),
        ),
        at: now,
      },
      now,
    );
    const expected = [...held.opens, ...held.publicIps.map((ip) => publicIpMeter(ip, ip.createdAt))];
    const open = new Set((await listOpenMeters(db, operatorScope)).map(meterIdentity));
    const missing = expected.filter((m) => !open.has(meterIdentity(m)));
    const expectedIds = new Set(expected.map(meterIdentity));
    const stale = [...open].filter((id) => !expectedIds.has(id));
    if (missing.length > 0) {
      const floor = (await readCursor(db, METER_FLOOR)) ?? 0;
      for (const m of missing) if (m.billedFrom < floor) m.billedFrom = floor;
      await insertMeters(db, missing);
    }
    if (missing.length + stale.length > 0) {
      await recordBillingEvent(db, {
        tenantId: null,
        at: now,
        type: "Warning",
        reason: "MeteringMismatch",
        message: `Reconciliation found ${missing.length} held resources without a meter (now metered) and ${stale.length} open meters without a held resource.`,
      });
    }
    await writeCursor(db, "reconciled_at", now);
    return { missing: missing.length, stale: stale.length };
  }

  return {
    hook: meteringHook,
    options,
    faults,
    async start() {
      stopped = false;
      const now = clock.now();
      // The engine keeps freezes in memory: set them again before anything else runs.
      for (const account of await listAccounts(db)) applyGrowthRule(account.tenantId, account, now);
      if ((await readCursor(db, CLOSED_THROUGH)) === null) await writeCursor(db, CLOSED_THROUGH, monthStart(now));
      if ((await readCursor(db, METER_FLOOR)) === null) await writeCursor(db, METER_FLOOR, 0);
      void run(() => closeDueMonths()).catch(() => undefined);
      void run(() => reconcile()).catch(() => undefined);
      every(
        nextMonthStart(now),
        (t) => nextMonthStart(t),
        () => closeDueMonths(),
      );
      every(
        now + options.accountCheckEveryMs,
        (t) => t + options.accountCheckEveryMs,
        (dueAt) => checkAccounts(dueAt),
      );
      every(
        Math.floor(now / DAY_MS) * DAY_MS + DAY_MS,
        (t) => Math.floor(t / DAY_MS) * DAY_MS + DAY_MS,
        () => reconcile(),
      );
    },
    stop() {
      stopped = true;
      for (const h of timers) clock.clearTimer(h);
      timers.clear();
    },
    /** Resolves when every queued job has finished (tests, benchmarks). */
    idle: async () => {
      for (let last: unknown; last !== chain; ) {
        last = chain;
        await chain;
      }
    },
    closeDueMonths: (o?: CloseOptions) => run(() => closeDueMonths(o)),
    checkAccounts: () => run(() => checkAccounts()),
    reconcile: () => run(reconcile),
    balanceOf,

    async forecast(tenantId: string) {
      const now = clock.now();
      const period = monthStart(now);
      const book = await loadPlanBook(db);
      const [rated, meters] = await Promise.all([
        ratePeriod(db, { period, now, scope: tenantScope(tenantId), book }),
        listOpenMeters(db, tenantScope(tenantId)),
      ]);
      const soFar = rated.get(tenantId)?.lines ?? [];
      const rest = forecastLines(meters, book, tenantId, now, nextMonthStart(period));
      return {
        period,
        now,
        currency: book.currency(),
        lines: soFar,
        monthMinor: sumMinor(soFar),
        forecastMinor: sumMinor(soFar) + sumMinor(rest),
        meters,
      };
    },

    /** Credit (operators grant, tenants top up); re-applies the overdue rule at once. */
    async credit(tenantId: string, kind: "grant" | "topup", amountMinor: bigint, note: string, actor: string | null) {
      const at = clock.now();
      const id = `${kind}:${tenantId}:${at}:${Math.random().toString(36).slice(2, 10)}`;
      // Under the account's lock: an overdue decision in progress finishes first, then sees it.
      await db.transaction(async (tx) => {
        await lockAccount(tx as unknown as Database, tenantId);
        await addLedgerEntry(tx as unknown as Database, { id, tenantId, at, kind, amountMinor, note, actor });
      });
      return run(async () => {
        if (options.welcomeCreditMinor > 0n)
          await grantOnce(db, [tenantId], clock.now(), options.welcomeCreditMinor, "Welcome credit");
        const balance = await settleAccount(tenantId);
        return { ...balance, account: await findAccount(db, tenantId) };
      });
    },
  };
}

/**
 * What reconciliation matches: a meter's id, but a public IP's resource, since its open meter
 * starts at its last bandwidth change, which the object does not record.
 */
function meterIdentity(m: { id: string; kind: string; resourceId: string }): string {
  return m.kind === PUBLIC_IP_METER_KIND ? `${PUBLIC_IP_METER_KIND}:${m.resourceId}` : m.id;
}

/** The refusal every growing command of a frozen tenant gets, in English and as catalog data. */
function growthFreeze(negativeSince: number, graceMs: number): GrowthFreeze {
  const since = new Date(negativeSince).toISOString().slice(0, 10);
  return {
    message: `Your balance has been negative since ${since}, past the grace period of ${span(graceMs)}: creating and scaling up workloads is paused. Top up on the Billing page to continue.`,
    detail: {
      key: "errors.growthFrozen",
      params: { since, graceHours: Math.round(graceMs / HOUR_MS), grace: spanRef(graceMs) },
    },
  };
}

/** "3 days", "2 hours": grace periods in messages. */
function span(ms: number): string {
  if (ms >= DAY_MS) return `${Math.round(ms / DAY_MS)} day${Math.round(ms / DAY_MS) === 1 ? "" : "s"}`;
  return `${Math.round(ms / HOUR_MS)} hour${Math.round(ms / HOUR_MS) === 1 ? "" : "s"}`;
}

/** The same span as catalog data (errors.spans.*), so a reader sees the unit in their language. */
function spanRef(ms: number): MessageRef {
  const days = ms >= DAY_MS;
  return {
    key: days ? "errors.spans.days" : "errors.spans.hours",
    params: { count: Math.round(ms / (days ? DAY_MS : HOUR_MS)) },
    text: span(ms),
  };
}
