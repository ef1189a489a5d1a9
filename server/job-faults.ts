/**
 * Failure injection for the background jobs (monitoring rollups, billing close, account
 * check, reconciliation), as the engine's memory store has `failNextCommits`. A job calls
 * `check(name)` inside its transaction after it has written everything and before it
 * commits, the worst moment to fail: a test arms a failure, sees the job fail and its
 * transaction roll back, runs it again, and compares the rows with a clean run's.
 */
export interface JobFaults {
  /** The next `times` checks of `job` throw, after `skip` checks that pass. */
  failNext(job: string, times?: number, skip?: number): void;
  /** Throws when a failure is armed for `job`; a no-op otherwise. */
  check(job: string): void;
}

export class InjectedJobFailure extends Error {
  constructor(job: string) {
    super(`injected failure of job "${job}"`);
    this.name = "InjectedJobFailure";
  }
}

export function createJobFaults(): JobFaults {
  const armed = new Map<string, { skip: number; times: number }>();
  return {
    failNext(job, times = 1, skip = 0) {
      armed.set(job, { skip, times });
    },
    check(job) {
      const a = armed.get(job);
      if (!a) return;
      if (a.skip > 0) {
        a.skip--;
        return;
      }
      if (--a.times <= 0) armed.delete(job);
      throw new InjectedJobFailure(job);
    },
  };
}

/** For callers that inject nothing. */
export const noJobFaults: JobFaults = { failNext: () => undefined, check: () => undefined };
