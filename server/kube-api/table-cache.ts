/**
 * Whole Table responses (the JSON bytes, and their gzip once asked for), kept for the next
 * request that would render exactly the same bytes. kubectl get on a namespace of 3,000 pods is
 * a 2 MB Table; 50 clients asking for it within a second rendered it 50 times.
 *
 * Guarantees:
 * - Correct by construction: an entry is served only to a request with the same list key (the
 *   caller's scope, served kind, namespace, selectors, row object mode, Table version: read.ts
 *   builds it), the same engine, the same clock second (ages are rendered from that second), and
 *   a list that is element-wise the same stored objects in the same order. Engine objects are
 *   immutable values (a change is a new object), so the same objects render the same rows; the
 *   caller only asks for kinds whose rows read nothing but the object and the clock
 *   (table-json.ts `rowsReadObjectAlone`). Any change to a listed object, an object added or
 *   removed, another caller scope, selector or second misses, and the miss replaces the entry.
 * - Its resourceVersion is the one the entry was rendered at: the items being identical, that
 *   revision is one at which this list was exactly what is served, a valid answer to a list
 *   without a resourceVersion (a watch from it sees every later change to the list).
 * - Bounded: at most `maxEntries` entries and `maxBytes` of bodies (plain and gzip) in all, the
 *   least recently used dropped first; a body under `minBytes` (cheap to render) or over
 *   `maxEntryBytes` is not kept.
 */
import type { AnyKindDefinition, EngineObject } from "../engine";
import { gzipBody } from "./negotiate";

export interface TableCacheLimits {
  maxEntries: number;
  maxBytes: number;
  maxEntryBytes: number;
  minBytes: number;
}

export const DEFAULT_TABLE_CACHE_LIMITS: TableCacheLimits = {
  maxEntries: 8,
  maxBytes: 48 * 2 ** 20,
  maxEntryBytes: 16 * 2 ** 20,
  minBytes: 16 * 1024,
};

/** What identifies a list besides its objects and its second (read.ts builds the key). */
export interface TableListId {
  /** Whose objects these are (the engine they were read from). */
  owner: object;
  def: AnyKindDefinition;
  key: string;
  second: number;
}

export interface TableEntry {
  readonly body: Buffer<ArrayBuffer>;
  /** The body gzipped, compressed on the first ask and kept with the entry. */
  gzipped(): Buffer<ArrayBuffer>;
}

interface Kept extends TableListId {
  objects: readonly EngineObject[];
  body: Buffer<ArrayBuffer>;
  gzip?: Buffer<ArrayBuffer>;
  entry: TableEntry;
}

export interface TableCache {
  /** The kept Table for exactly this list, if any. */
  find(id: TableListId, objects: readonly EngineObject[]): TableEntry | undefined;
  /** Keep `body` as the Table of `objects` (when its size is worth keeping); returns it as an entry. */
  keep(id: TableListId, objects: readonly EngineObject[], body: Buffer<ArrayBuffer>): TableEntry;
  stats(): { hits: number; misses: number; entries: number; bytes: number };
  clear(): void;
}

const sameObjects = (a: readonly EngineObject[], b: readonly EngineObject[]): boolean => {
  if (a.length !== b.length) return false;
  for (let i = 0; i < a.length; i++) if (a[i] !== b[i]) return false;
  return true;
};

export function createTableCache(limits: TableCacheLimits = DEFAULT_TABLE_CACHE_LIMITS): TableCache {
  // Insertion order is recency: a hit moves its entry to the end, eviction takes from the start.
  const kept = new Map<string, Kept>();
  let bytes = 0;
  let hits = 0;
  let misses = 0;
  const sizeOf = (k: Kept) => k.body.length + (k.gzip?.length ?? 0);
  const drop = (key: string) => {
    const k = kept.get(key);
    if (!k) return;
    kept.delete(key);
    bytes -= sizeOf(k);
  };
  const trim = () => {
    for (const key of kept.keys()) {
      if (kept.size <= limits.maxEntries && bytes <= limits.maxBytes) break;
      drop(key);
    }
  };
  const entryOf = (k: Kept): TableEntry => ({
    body: k.body,
    gzipped() {
      if (k.gzip === undefined) {
        k.gzip = gzipBody(k.body);
        // Counted only while kept (a dropped entry's gzip goes with it).
        if (kept.get(k.key) === k) {
          bytes += k.gzip.length;
          trim();
        }
      }
      return k.gzip;
    },
  });
  return {
    find(id, objects) {
      const k = kept.get(id.key);
      if (
        !k ||
        k.owner !== id.owner ||
        k.def !== id.def ||
        k.second !== id.second ||
        !sameObjects(k.objects, objects)
      ) {
        misses++;
        return undefined;
      }
      hits++;
      kept.delete(id.key);
      kept.set(id.key, k);
      return k.entry;
    },
    keep(id, objects, body) {
      const k = { ...id, objects, body } as Kept;
      k.entry = entryOf(k);
      drop(id.key);
      if (body.length >= limits.minBytes && body.length <= limits.maxEntryBytes) {
        kept.set(id.key, k);
        bytes += body.length;
        trim();
      }
      return k.entry;
    },
    stats: () => ({ hits, misses, entries: kept.size, bytes }),
    clear() {
      kept.clear();
      bytes = 0;
    },
  };
}

/** The Kubernetes API's Table cache (one per server process). */
export const tableCache: TableCache = createTableCache();
