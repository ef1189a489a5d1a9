/**
 * The billing service: metering hook, jobs on the engine clock, and the reads and writes the
 * routers need. Jobs (month close, hourly account check, nightly reconciliation) run one at a
 * time in a chain, each idempotent and resumable from durable cursors, so a crash or a
 * duplicate timer never does anything twice.
 */
import type { Database } from "@/db/client";
import { addLedgerEntry, findAccount, grantOnce, ledgerBalances, listAccounts, listTenantIds, recordBillingEvent, saveAccount, type AccountRow } from "@/db/queries/billing";
import { insertMeters, listOpenMeters, readCursor, writeCursor } from "@/db/queries/billing-metering";
import { AppError } from "../errors";
import type { Clock, Engine } from "../engine";
import { CLOSED_THROUGH, closeMonth, type CloseOptions } from "./close";
import { forecastLines, loadPlanBook, ratePeriod } from "./invoicing";
import { deriveMeterChanges, METER_FLOOR, meteringHook } from "./metering";
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

export const DEFAULT_BILLING_OPTIONS: BillingOptions = { graceMs: 3 * DAY_MS, suspendAfterMs: 7 * DAY_MS, accountCheckEveryMs: HOUR_MS, welcomeCreditMinor: 5_000n };

export type Billing = ReturnType<typeof createBilling>;

export function createBilling(deps: { db: Database; clock: Clock; engine: Engine; options?: Partial<BillingOptions> }) {
  const { db, clock, engine } = deps;
  const options = { ...DEFAULT_BILLING_OPTIONS, ...deps.options };
  const timers = new Set<number>();
  let chain: Promise<unknown> = Promise.resolve();
  let stopped = true;

  /** One job at a time; a failing job is logged and retried by its next timer. */
  const run = <T>(job: () => Promise<T>): Promise<T> => {
    const next = chain.then(job, job);
    chain = next.catch((e: unknown) => console.error("billing: job failed", e));
    return next;
  };
  const alive = () => !stopped && engine.internals.isRunning;
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
      await closeMonth(db, through, clock.now(), closeOptions);
      closed++;
    }
  }

  async function balanceOf(tenantId: string) {
    const now = clock.now();
    const period = monthStart(now);
    if (options.welcomeCreditMinor > 0n) await grantOnce(db, [tenantId], now, options.welcomeCreditMinor, "Welcome credit");
    const [ledger, rated, account] = await Promise.all([ledgerBalances(db, [tenantId]), ratePeriod(db, { period, now, tenantId }), findAccount(db, tenantId)]);
    const ledgerMinor = ledger.get(tenantId) ?? 0n;
    const monthMinor = rated.get(tenantId)?.totalMinor ?? 0n;
    return { ledgerMinor, monthMinor, availableMinor: ledgerMinor - monthMinor, account };
  }

  async function scaleTo(tenantId: string, replicas: Record<string, number>, reason: string, message: (name: string, n: number) => string) {
    for (const [id, n] of Object.entries(replicas)) {
      const d = engine.listDeployments(tenantId, { limit: 1000 }).items.find((x) => x.id === id);
      if (!d) continue; // deleted meanwhile
      if (d.spec.replicas !== n) await engine.scaleDeployment(tenantId, id, n);
      const type = reason === "WorkloadsSuspended" ? "Warning" : "Normal";
      await recordBillingEvent(db, { tenantId, at: clock.now(), type, reason, message: message(d.name, n) });
      // Also in the tenant's event stream, beside the scaling it explains.
      await engine.recordEvent(tenantId, { objectKind: "Deployment", objectName: d.name, type, reason, message: message(d.name, n) });
    }
  }

  /** Applies the overdue rule to one tenant given its available balance. */
  async function settleAccount(tenantId: string, available: bigint, account: AccountRow | null, now = clock.now()) {
    if (available < 0n) {
      const since = account?.negativeSince ?? now;
      if (account?.negativeSince == null) {
        await saveAccount(db, { tenantId, negativeSince: since, suspendedAt: account?.suspendedAt ?? null, suspendedReplicas: account?.suspendedReplicas ?? null });
        const text = `The balance is negative. Top up within ${span(options.graceMs)} to keep creating and scaling workloads.`;
        await recordBillingEvent(db, { tenantId, at: now, type: "Warning", reason: "BalanceNegative", message: text });
        await engine.recordEvent(tenantId, { objectKind: "Billing", objectName: "balance", type: "Warning", reason: "BalanceNegative", message: text });
      }
      if (now - since >= options.graceMs + options.suspendAfterMs) {
        const replicas = account?.suspendedReplicas ?? Object.fromEntries(listAllDeployments(tenantId).filter((d) => d.spec.replicas > 0).map((d) => [d.id, d.spec.replicas]));
        if (account?.suspendedAt == null) await saveAccount(db, { tenantId, negativeSince: since, suspendedAt: now, suspendedReplicas: replicas });
        const zero = Object.fromEntries(Object.keys(replicas).map((id) => [id, 0]));
        await scaleTo(tenantId, zero, "WorkloadsSuspended", (name) => `Scaled deployment "${name}" to 0 replicas: the balance has been negative for more than ${span(options.graceMs + options.suspendAfterMs)}. Top up to restore it.`);
      }
    } else if (account && (account.negativeSince != null || account.suspendedAt != null)) {
      if (account.suspendedReplicas) {
        await scaleTo(tenantId, account.suspendedReplicas, "WorkloadsRestored", (name, n) => `Restored deployment "${name}" to ${n} replicas: the balance is positive again.`);
      }
      await saveAccount(db, { tenantId, negativeSince: null, suspendedAt: null, suspendedReplicas: null });
    }
  }

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
    const [ledger, rated, accounts] = await Promise.all([ledgerBalances(db), ratePeriod(db, { period: monthStart(now), now }), listAccounts(db)]);
    const byTenant = new Map(accounts.map((a) => [a.tenantId, a]));
    for (const t of tenants) {
      const available = (ledger.get(t) ?? 0n) - (rated.get(t)?.totalMinor ?? 0n);
      await settleAccount(t, available, byTenant.get(t) ?? null, now);
    }
  }

  /** Compares the engine's held resources with open meters; repairs missing meters, reports all. */
  async function reconcile(): Promise<{ missing: number; stale: number }> {
    await engine.whenIdle();
    const now = clock.now();
    const state = engine.internals.ctx.state;
    const expected = deriveMeterChanges({ ops: [...state.all("Pod"), ...state.all("Node")].map((object) => ({ op: "upsert" as const, object })), at: now }, now).opens;
    const open = new Set((await listOpenMeters(db)).map((m) => m.id));
    const missing = expected.filter((m) => !open.has(m.id));
    const expectedIds = new Set(expected.map((m) => m.id));
    const stale = [...open].filter((id) => !expectedIds.has(id));
    if (missing.length > 0) {
      const floor = (await readCursor(db, METER_FLOOR)) ?? 0;
      for (const m of missing) if (m.billedFrom < floor) m.billedFrom = floor;
      await insertMeters(db, missing);
    }
    if (missing.length + stale.length > 0) {
      await recordBillingEvent(db, { tenantId: null, at: now, type: "Warning", reason: "MeteringMismatch", message: `Reconciliation found ${missing.length} held resources without a meter (now metered) and ${stale.length} open meters without a held resource.` });
    }
    await writeCursor(db, "reconciled_at", now);
    return { missing: missing.length, stale: stale.length };
  }

  return {
    hook: meteringHook,
    options,
    async start() {
      stopped = false;
      const now = clock.now();
      if ((await readCursor(db, CLOSED_THROUGH)) === null) await writeCursor(db, CLOSED_THROUGH, monthStart(now));
      if ((await readCursor(db, METER_FLOOR)) === null) await writeCursor(db, METER_FLOOR, 0);
      void run(() => closeDueMonths()).catch(() => undefined);
      void run(() => reconcile()).catch(() => undefined);
      every(nextMonthStart(now), (t) => nextMonthStart(t), () => closeDueMonths());
      every(now + options.accountCheckEveryMs, (t) => t + options.accountCheckEveryMs, (dueAt) => checkAccounts(dueAt));
      every(Math.floor(now / DAY_MS) * DAY_MS + DAY_MS, (t) => Math.floor(t / DAY_MS) * DAY_MS + DAY_MS, () => reconcile());
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
      const [rated, meters] = await Promise.all([ratePeriod(db, { period, now, tenantId, book }), listOpenMeters(db, tenantId)]);
      const soFar = rated.get(tenantId)?.lines ?? [];
      const rest = forecastLines(meters, book, tenantId, now, nextMonthStart(period));
      return { period, now, currency: book.currency(), lines: soFar, monthMinor: sumMinor(soFar), forecastMinor: sumMinor(soFar) + sumMinor(rest), meters };
    },

    /** Credit (operators grant, tenants top up); re-applies the overdue rule at once. */
    async credit(tenantId: string, kind: "grant" | "topup", amountMinor: bigint, note: string, actor: string | null) {
      const at = clock.now();
      await addLedgerEntry(db, { id: `${kind}:${tenantId}:${at}:${Math.random().toString(36).slice(2, 10)}`, tenantId, at, kind, amountMinor, note, actor });
      return run(async () => {
        const b = await balanceOf(tenantId);
        await settleAccount(tenantId, b.availableMinor, b.account);
        return b;
      });
    },

    /** Throws when the tenant's balance has been negative past the grace period. */
    async assertMayGrow(tenantId: string): Promise<void> {
      const account = await findAccount(db, tenantId);
      if (!account || account.negativeSince == null) return;
      const now = clock.now();
      if (account.suspendedAt != null || now - account.negativeSince >= options.graceMs) {
        const since = new Date(account.negativeSince).toISOString().slice(0, 10);
        throw new AppError(
          "FORBIDDEN",
          `Your balance has been negative since ${since}, past the grace period of ${span(options.graceMs)}: creating and scaling up workloads is paused. Top up on the Billing page to continue.`,
        );
      }
    },
  };
}

/** "3 days", "2 hours": grace periods in messages. */
function span(ms: number): string {
  if (ms >= DAY_MS) return `${Math.round(ms / DAY_MS)} day${Math.round(ms / DAY_MS) === 1 ? "" : "s"}`;
  return `${Math.round(ms / HOUR_MS)} hour${Math.round(ms / HOUR_MS) === 1 ? "" : "s"}`;
}

