/**
 * The watch contract (Kubernetes' watch, on the engine's flat objects). A watch sees the
 * committed changes of one kind (or every kind: "*") of one tenant (or of every tenant: an
 * operator's watch), in commit order, each exactly once. Callbacks are synchronous from the
 * commit's fan-out: a consumer must not block, it buffers (bounded) and closes when behind.
 */
import type { EngineObject, ObjectKind } from "../kinds/types";

export type WatchKind = ObjectKind | "*";

export interface WatchOptions {
  /** The owner whose objects are watched; undefined = every tenant (operators only). */
  tenantId?: string;
  /** Only objects of this namespace (cluster-scoped objects never match a namespace). */
  namespace?: string;
  /** Kubernetes label selector, equality and set-based: `app=web,tier in (a,b),!canary`. */
  labelSelector?: string;
  /** `metadata.name`, `metadata.namespace`, `spec.nodeName`, `status.phase`, `involvedObject.*` with =, ==, !=. */
  fieldSelector?: string;
  /**
   * Resume after this revision: every change committed after it is delivered, none before.
   * Absent: one ADDED per matching object now, then every later change.
   */
  resourceVersion?: number;
  /** Engine-time interval of BOOKMARK events (default 60 s). */
  bookmarkIntervalMs?: number;
}

export type WatchEvent =
  | {
      type: "ADDED" | "MODIFIED" | "DELETED";
      object: EngineObject;
      /** The revision of the commit (for a replayed initial object, its own resourceVersion). */
      resourceVersion: number;
      /** Engine time of the commit. */
      at: number;
    }
  | { type: "BOOKMARK"; resourceVersion: number; at: number }
  | { type: "ERROR"; code: 410; reason: "Expired"; message: string };

export interface Watch {
  close(): void;
}

export type WatchFn = (kind: WatchKind, opts: WatchOptions, onEvent: (e: WatchEvent) => void) => Watch;

export const DEFAULT_BOOKMARK_INTERVAL_MS = 60_000;
