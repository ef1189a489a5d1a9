/**
 * What an empty events list means. Events expire (EVENT_RETENTION_MS after they last
 * happened), so "no events" is only "nothing happened yet" for an object younger than that;
 * for an older one, or one of unknown age, its events may have existed and expired.
 */
import { EVENT_RETENTION_MS } from "@/server/engine/kinds/types";

export type EmptyEvents = { key: "empty" } | { key: "emptyExpired"; values: { hours: number } };

export function emptyEventsMessage(
  now: number | null,
  objectCreatedAt: number | undefined,
  retentionMs = EVENT_RETENTION_MS,
): EmptyEvents {
  const young = objectCreatedAt !== undefined && now !== null && now - objectCreatedAt < retentionMs;
  return young ? { key: "empty" } : { key: "emptyExpired", values: { hours: retentionMs / 3_600_000 } };
}
