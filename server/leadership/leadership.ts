/**
 * Whether this process runs the engine, following its lease (db/lease.ts).
 * Guarantees:
 * - Without a lease this process is the only one (tests, a throw-away database): it leads at
 *   once. With one, `start` leads at once when the lease is free, and otherwise returns as a
 *   standby while the lease is awaited in the background (blocked on the lock, not polling);
 *   `lead` runs when the lease is taken, so the engine loads the store only after this
 *   process's epoch is in it.
 * - Leading and stepping down run one at a time, in order: a lease lost while the engine is
 *   still starting steps down once it has started.
 * - When the lease is lost, `stepDown` runs (engine and jobs stop), then `onLost`; the process
 *   does not take the lease again by itself: its owner builds new services, a new standby.
 * - A `lead` that fails gives the lease up (another process may take it) and counts as lost;
 *   without a lease, `start` rejects with its error, as before there were leases.
 * - A standby runs `standBy` (the engine follows the store, serving reads) before it waits for
 *   the lease, and `start` resolves once that has (a failure is logged: it stays a standby that
 *   serves nothing, and `lead` loads the store itself). `lead` runs after it, never beside it.
 */
import type { EngineLease, LeaseStatus } from "@/db/lease";

export interface Leadership {
  start(): Promise<void>;
  /** Steps down if leading, and gives the lease up (or stops waiting for it). */
  stop(): Promise<void>;
  /** True while the engine runs here (from its start to the step down). */
  isLeader(): boolean;
  status(): LeaseStatus;
  /** Resolves once this process leads (the engine has started). */
  whenLeader(): Promise<void>;
}

export interface LeadershipOptions {
  lease?: EngineLease;
  /** Starts the engine and the jobs around it. */
  lead(): Promise<void>;
  /** On a standby, before waiting for the lease: starts following the store (the engine's reads). */
  standBy?(): Promise<void>;
  /** Stops them; whatever was not committed is lost, as in a crash. */
  stepDown(): Promise<void>;
  onLost?(reason: string): void;
  log?(message: string, error?: unknown): void;
}

export function createLeadership(options: LeadershipOptions): Leadership {
  const { lease } = options;
  const log = options.log ?? ((m, e) => (e === undefined ? console.error(m) : console.error(m, e)));
  const holder = lease?.holder ?? "this process";
  let leading = false;
  let stopped = false;
  let lostReason: string | undefined;
  let chain: Promise<void> = Promise.resolve();
  let becameLeader: () => void = () => undefined;
  const leader = new Promise<void>((resolve) => {
    becameLeader = resolve;
  });
  const inTurn = (fn: () => Promise<void>) => {
    chain = chain.then(fn, fn);
    return chain;
  };

  const lose = (reason: string) =>
    inTurn(async () => {
      if (lostReason !== undefined) return;
      lostReason = reason;
      if (leading) {
        leading = false;
        await options.stepDown().catch((e: unknown) => log("leadership: stepping down failed", e));
      }
      if (!stopped) {
        log(`leadership: ${holder} lost the engine lease (${reason}); the engine stopped here`);
        options.onLost?.(reason);
      }
    });

  const lead = () =>
    inTurn(async () => {
      if (stopped || lostReason !== undefined) return;
      try {
        await options.lead();
      } catch (error) {
        await options.stepDown().catch(() => undefined);
        if (!lease) throw error; // alone, nothing else would run it: the caller hears why
        log("leadership: starting the engine failed; giving the lease up", error);
        await lease.release();
        void lose(`the engine did not start: ${(error as Error).message}`);
        return;
      }
      leading = true;
      becameLeader();
    });

  lease?.onLost((reason) => void lose(reason));

  return {
    async start() {
      if (!lease) return lead();
      if (await lease.tryAcquire()) return lead();
      log(`leadership: ${holder} is a standby: the engine runs in another process; waiting for its lease`);
      // In turn, so a lease taken while the standby still loads leads once it has loaded.
      const standingBy = inTurn(async () => {
        await options.standBy?.().catch((error: unknown) => {
          if (!stopped) log("leadership: the standby could not follow the store; it serves no reads", error);
        });
      });
      void lease.acquire().then(lead, (error: unknown) => {
        if (!stopped) log("leadership: waiting for the engine lease failed", error);
      });
      await standingBy;
    },
    async stop() {
      stopped = true;
      await inTurn(async () => {
        if (leading) {
          leading = false;
          await options.stepDown();
        }
      });
      await lease?.release();
    },
    isLeader: () => leading,
    // The lease's view: "leader" from the moment the lease is taken (`isLeader` waits for the engine).
    status: () => lease?.status() ?? { role: lostReason === undefined ? "leader" : "lost", holder, reason: lostReason },
    whenLeader: () => leader,
  };
}
