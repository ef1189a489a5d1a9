/**
 * Applying the store's change log to the engine's cache, as a follower (follower.ts) does.
 * Guarantees:
 * - One committed batch at a time: every record of a revision is put or removed, then handed
 *   to the watch hub as that revision's changes (before/after), exactly as the leader's
 *   commit published them; nothing is staged once a batch is applied.
 * - Idempotent and monotonic: a record older than what the cache holds (the object's
 *   resourceVersion is at or past the record's revision; for a deletion, past it) is skipped,
 *   so replaying from a revision the snapshot may already reflect never moves an object back.
 *   (A snapshot is read in several statements: the follower replays from the revision it saw
 *   before reading it, so a commit landing in the middle is applied, not lost.)
 * - Pods share their replica set's labels, annotations and spec where equal, as load() and the
 *   controllers do, so a long-following standby holds what a freshly started engine would.
 */
import type { Pod } from "../kinds/types";
import type { ChangeRecord } from "../store/store";
import type { WatchHub } from "../watch/hub";
import type { EngineState } from "./state";

/**
 * Apply `records` (oldest first, whole commits) above `revision`; returns the revision of the
 * last commit applied (`revision` when none was newer) and how many changes the cache took.
 */
export function applyChanges(
  state: EngineState,
  watches: WatchHub,
  revision: number,
  records: readonly ChangeRecord[],
): { revision: number; applied: number } {
  let applied = 0;
  let i = 0;
  while (i < records.length) {
    const first = records[i] as ChangeRecord;
    const at = first.at;
    let j = i;
    while (j < records.length && (records[j] as ChangeRecord).revision === first.revision) j++;
    if (first.revision > revision) {
      // Pods last: a replica set created in the same commit is there for them to share from.
      for (let k = i; k < j; k++)
        if ((records[k] as ChangeRecord).kind !== "Pod") apply(state, records[k] as ChangeRecord);
      for (let k = i; k < j; k++)
        if ((records[k] as ChangeRecord).kind === "Pod") apply(state, records[k] as ChangeRecord);
      const { changes } = state.takeBatch();
      revision = first.revision;
      applied += changes.length;
      if (changes.length > 0) watches.publish(revision, at, changes);
    }
    i = j;
  }
  return { revision, applied };
}

function apply(state: EngineState, c: ChangeRecord): void {
  const held = state.get(c.kind, c.object.id);
  if (c.type === "DELETED") {
    if (held && held.resourceVersion <= c.revision) state.remove(c.kind, c.object.id);
  } else if (!held || held.resourceVersion < c.revision) {
    state.put(c.kind === "Pod" ? state.shareWithReplicaSet(c.object as Pod) : c.object);
  }
}
