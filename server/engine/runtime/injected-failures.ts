/**
 * Which nodes an operator has failed on purpose (injectNodeFailure) and not yet recovered.
 * Guarantees: held beside the engine's context for the life of the process, like the modelled
 * agents themselves (a restart boots every agent healthy again, and forgets this with them).
 */
const byContext = new WeakMap<object, Set<string>>();

export function injectedFailures(ctx: object): Set<string> {
  let set = byContext.get(ctx);
  if (!set) {
    set = new Set();
    byContext.set(ctx, set);
  }
  return set;
}
