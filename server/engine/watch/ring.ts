/**
 * The watch cache: the most recent committed changes, in commit order, each with its
 * before- and after-image (what selector transitions need). Bounded by a number of changes
 * AND by an estimate of the bytes of the object versions it keeps alive (whichever binds
 * first): it is a short buffer in front of the store's change log, which serves older resumes.
 * Whole commits are dropped from the front; a resume from before the oldest kept revision is
 * not served from here. Appends are O(1) amortised; the start of a resume is found by binary search.
 */
import type { EngineObject, ObjectKind } from "../kinds/types";

export interface CachedChange {
  revision: number;
  at: number;
  kind: ObjectKind;
  before: EngineObject | undefined;
  after: EngineObject | undefined;
}

export class ChangeRing {
  private items: CachedChange[] = [];
  /** Estimated bytes of each item, parallel to `items`. */
  private sizes: number[] = [];
  private head = 0;
  private bytes = 0;
  /** Every change after this revision is kept (the revision the ring started from, or the last one dropped). */
  private floor: number;

  constructor(
    private readonly capacity: number,
    startRevision: number,
    private readonly maxBytes = Number.POSITIVE_INFINITY,
  ) {
    this.floor = startRevision;
  }

  get size(): number {
    return this.items.length - this.head;
  }

  /** Estimated bytes of the object versions the ring keeps alive. */
  get approxBytes(): number {
    return this.bytes;
  }

  /** Resumes from a revision >= this are served; older ones are not. */
  get oldestResumable(): number {
    return this.floor;
  }

  /** Append one commit's changes (all of `revision`). Whole commits are dropped from the front. */
  push(changes: readonly CachedChange[]): void {
    for (const c of changes) {
      const n = approxObjectBytes(c.after ?? c.before);
      this.items.push(c);
      this.sizes.push(n);
      this.bytes += n;
    }
    while (this.size > this.capacity || (this.size > 0 && this.bytes > this.maxBytes)) {
      const drop = (this.items[this.head] as CachedChange).revision;
      while (this.head < this.items.length && (this.items[this.head] as CachedChange).revision === drop) {
        this.bytes -= this.sizes[this.head] ?? 0;
        this.head++;
      }
      this.floor = drop;
    }
    if (this.head > 4096 && this.head > this.items.length / 2) {
      this.items = this.items.slice(this.head);
      this.sizes = this.sizes.slice(this.head);
      this.head = 0;
    }
  }

  /** Forget everything before `revision` (a reload: older history no longer matches the cache). */
  reset(revision: number): void {
    this.items = [];
    this.sizes = [];
    this.head = 0;
    this.bytes = 0;
    this.floor = revision;
  }

  /** The changes after `revision`, oldest first; undefined when some were dropped. */
  since(revision: number): CachedChange[] | undefined {
    if (revision < this.floor) return undefined;
    let lo = this.head;
    let hi = this.items.length;
    while (lo < hi) {
      const mid = (lo + hi) >>> 1;
      if ((this.items[mid] as CachedChange).revision <= revision) lo = mid + 1;
      else hi = mid;
    }
    return this.items.slice(lo);
  }
}

/**
 * A cheap estimate of one object version's heap size (three levels deep, no serialisation:
 * this runs for every committed change). Shared sub-objects (interned labels, a replica set's
 * pod spec) are counted each time, so it errs on the high side; their estimate is computed
 * once, since objects are immutable values (kinds/types.ts): a pod's new version re-walks only
 * the fields that changed.
 */
export function approxObjectBytes(o: EngineObject | undefined): number {
  if (o === undefined) return 0;
  let n = 32;
  for (const k in o) {
    const v = (o as unknown as Record<string, unknown>)[k];
    n += 16 + (typeof v === "object" && v !== null ? fieldBytes(v) : approx(v, 1));
  }
  return n;
}

const fieldEstimates = new WeakMap<object, number>();

function fieldBytes(v: object): number {
  let n = fieldEstimates.get(v);
  if (n === undefined) {
    n = approx(v, 1);
    fieldEstimates.set(v, n);
  }
  return n;
}

function approx(v: unknown, depth: number): number {
  if (typeof v === "string") return 16 + v.length;
  if (typeof v !== "object" || v === null) return 8;
  if (depth >= 3) return 64;
  let n = 32;
  if (Array.isArray(v)) for (const x of v) n += 8 + approx(x, depth + 1);
  else for (const k in v) n += 16 + approx((v as Record<string, unknown>)[k], depth + 1);
  return n;
}
