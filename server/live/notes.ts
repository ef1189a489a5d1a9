/**
 * Live notes: what the console's one subscription (`live.changes`) sends. A note says that
 * something of a kind changed, never what it now holds: the browser refetches the queries of
 * that kind, through the same views and checks as any other read. So a note carries only the
 * object's kind, name, namespace and resourceVersion, and the engine time of the change.
 * Control notes: `heartbeat` (the engine time, so no page polls a clock), `metrics` (a round of
 * samples landed), `resync` (notes were lost: refetch everything).
 */
import { z } from "zod";

export const changeTypes = ["ADDED", "MODIFIED", "DELETED"] as const;

export const objectNoteSchema = z.object({
  type: z.enum(changeTypes),
  kind: z.string(),
  name: z.string(),
  namespace: z.string().optional(),
  /** The revision of the commit that made the change (a string, as Kubernetes writes it). */
  resourceVersion: z.string(),
  /** Engine time of the commit, epoch ms. */
  at: z.number(),
});

export const heartbeatNoteSchema = z.object({
  type: z.literal("heartbeat"),
  at: z.number(),
  /** Engine milliseconds per wall millisecond (ENGINE_TIME_SCALE), so the browser can run the clock between beats. */
  rate: z.number(),
});

export const metricsNoteSchema = z.object({ type: z.literal("metrics"), at: z.number() });

export const resyncNoteSchema = z.object({
  type: z.literal("resync"),
  /** `overflow`: the client read too slowly; `expired`: it resumed from a revision the log no longer holds. */
  reason: z.enum(["overflow", "expired"]),
  at: z.number(),
});

export const liveNoteSchema = z.discriminatedUnion("type", [
  objectNoteSchema.extend({ type: z.literal("ADDED") }),
  objectNoteSchema.extend({ type: z.literal("MODIFIED") }),
  objectNoteSchema.extend({ type: z.literal("DELETED") }),
  heartbeatNoteSchema,
  metricsNoteSchema,
  resyncNoteSchema,
]);

export type ObjectNote = z.infer<typeof objectNoteSchema>;
export type HeartbeatNote = z.infer<typeof heartbeatNoteSchema>;
export type MetricsNote = z.infer<typeof metricsNoteSchema>;
export type ResyncNote = z.infer<typeof resyncNoteSchema>;
export type LiveNote = ObjectNote | HeartbeatNote | MetricsNote | ResyncNote;

export const isObjectNote = (note: LiveNote): note is ObjectNote =>
  note.type === "ADDED" || note.type === "MODIFIED" || note.type === "DELETED";
