"use client";
/**
 * useLiveUpdates: the console's one live subscription. It opens `live.changes` (tenant console)
 * or `live.cluster` (operators' dashboard), turns each note into invalidations of the queries
 * that show its kind (batched: invalidation.ts) and sets the engine clock from the notes.
 * Mounted once, by the console shell; pages never poll.
 * A stream the server ended (not a dropped connection, which the link resumes from the last
 * id) is opened again after a pause, and everything is refetched then, since a fresh stream
 * starts from now and whatever changed in between has no note.
 */
import { useQueryClient } from "@tanstack/react-query";
import { useSubscription } from "@trpc/tanstack-react-query";
import { useEffect, useRef } from "react";
import { useTRPC } from "@/components/trpc";
import type { LiveNote } from "@/server/live/notes";
import type { EngineTimeStore } from "./engine-time";
import { type Batcher, clusterRules, createBatcher, tenantRules } from "./invalidation";
import { liveRefreshDue } from "./query-meta";

export type LiveScope = "tenant" | "cluster";
/** `live`: connected; `connecting`: first connection or a reconnect under way; `off`: not subscribed. */
export type LiveState = "live" | "connecting" | "off";

const reopenAfterMs = 5_000;

export function useLiveUpdates({
  scope,
  enabled,
  time,
}: {
  scope: LiveScope;
  enabled: boolean;
  time: EngineTimeStore;
}): LiveState {
  const trpc = useTRPC();
  const queryClient = useQueryClient();
  const rules = scope === "cluster" ? clusterRules : tenantRules;
  const batcher = useRef<Batcher | null>(null);
  batcher.current ??= createBatcher({
    invalidate: (path) => {
      const now = Date.now();
      void queryClient.invalidateQueries({ queryKey: [path], predicate: (q) => liveRefreshDue(q, now) });
    },
    invalidateAll: () => void queryClient.invalidateQueries(),
    isFetching: (path) => queryClient.isFetching({ queryKey: [path] }) > 0,
    schedule: (ms, fn) => {
      const handle = setTimeout(fn, ms);
      return () => clearTimeout(handle);
    },
    now: () => performance.now(),
  });
  useEffect(() => () => batcher.current?.stop(), []);

  const onData = ({ data }: { data: LiveNote }) => {
    time.set(data.at, data.type === "heartbeat" ? data.rate : undefined);
    batcher.current?.note(data, rules);
  };
  const procedure = scope === "cluster" ? trpc.live.cluster : trpc.live.changes;
  const subscription = useSubscription(procedure.subscriptionOptions(undefined, { enabled, onData }));

  // The server ended the stream, or refused it: open it again later (5 s, 10 s … 60 s apart),
  // and refetch everything once it is back.
  const reopens = useRef(0);
  const { status, reset } = subscription;
  useEffect(() => {
    if (!enabled || (status !== "idle" && status !== "error")) return;
    const handle = setTimeout(
      () => {
        reopens.current++;
        reset();
      },
      Math.min(60_000, reopenAfterMs * 2 ** reopens.current),
    );
    return () => clearTimeout(handle);
  }, [enabled, status, reset]);
  useEffect(() => {
    if (status !== "pending" || reopens.current === 0) return;
    reopens.current = 0;
    batcher.current?.note({ type: "resync", reason: "expired", at: 0 }, rules);
  }, [status, rules]);

  if (!enabled) return "off";
  return status === "pending" ? "live" : "connecting";
}
