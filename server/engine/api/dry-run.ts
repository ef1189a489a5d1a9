/**
 * Kubernetes' `dryRun=All` for commands. Guarantees: a dry run is the command itself (its
 * validation, admission, quota and growth freeze, in the one-writer queue, against committed
 * state) with everything it staged discarded at the end; it answers what the command would have
 * returned (a created object has resourceVersion 0: nothing committed it), commits nothing, and
 * no informer, watch or event sees it. A refusal is the command's own refusal.
 */
import type { EngineCore } from "../core/core";

/** The option every command with a dry run takes. */
export interface DryRunOption {
  /** Validate and admit, answer, store nothing. */
  dryRun?: boolean;
}

/** What a dry run carries out of the command, so the core discards its staged writes. */
class DryRunDone {
  constructor(readonly value: unknown) {}
}

/** `core.command(fn)`, or, with `dryRun`, the same run and checks with nothing committed. */
export function commandOrDryRun<T>(core: EngineCore, dryRun: boolean | undefined, fn: () => T): Promise<T> {
  if (!dryRun) return core.command(fn);
  return core
    .command((): T => {
      const { state } = core.ctx;
      // The core admits growth after fn returns; a dry run leaves by throwing, so it admits here.
      const claimsBefore = core.growth.before(state);
      // Nothing will commit what a dry run stages: its objects keep the versions they had.
      const stagingRevision = state.stagingRevision;
      state.stagingRevision = undefined;
      let value: T;
      try {
        value = fn();
      } finally {
        state.stagingRevision = stagingRevision;
      }
      core.growth.admit(state, claimsBefore);
      throw new DryRunDone(value);
    })
    .catch((error: unknown) => {
      if (error instanceof DryRunDone) return error.value as T;
      throw error;
    });
}
