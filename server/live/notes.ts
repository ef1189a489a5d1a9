/**
 * Live notes: what the console's one subscription (`live.changes`) sends. A note says that
 * something of a kind changed, never what it now holds: the browser refetches the queries of
 * that kind, through the same views and checks as any other read. So a note carries only the
 * object's kind, name, namespace and resourceVersion, and the engine time of the change.
 * Control notes: `heartbeat` (the engine time, so no page polls a clock), `metrics` (a round of
 * samples landed), `resync` (notes were lost: refetch everything).
 * Notes are a wire contract (typed client, console): fields are added, never renamed.
 */

export type ChangeType = "ADDED" | "MODIFIED" | "DELETED";

export interface ObjectNote {
  type: ChangeType;
  /** The object's kind, as the engine names it ("Pod", "Deployment", ...). */
  kind: string;
  name: string;
  namespace?: string;
  /** The revision of the commit that made the change (a string, as Kubernetes writes it). */
  resourceVersion: string;
  /** Engine time of the commit, epoch ms. */
  at: number;
}

export interface HeartbeatNote {
  type: "heartbeat";
  /** Engine time now, epoch ms. */
  at: number;
  /** Engine milliseconds per wall millisecond (ENGINE_TIME_SCALE), so the browser runs the clock between beats. */
  rate: number;
}

/** A round of monitoring samples of this tenant was written: charts may refetch. */
export interface MetricsNote {
  type: "metrics";
  at: number;
}

export interface ResyncNote {
  type: "resync";
  /** `overflow`: the client read too slowly; `expired`: it resumed from a revision the log no longer holds. */
  reason: "overflow" | "expired";
  at: number;
}

export type LiveNote = ObjectNote | HeartbeatNote | MetricsNote | ResyncNote;

export const isObjectNote = (note: LiveNote): note is ObjectNote =>
  note.type === "ADDED" || note.type === "MODIFIED" || note.type === "DELETED";
