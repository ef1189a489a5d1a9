/**
 * Subscriptions over server-sent events for Node (which has no global EventSource): tRPC's
 * httpSubscriptionLink with the `eventsource` package as its EventSource, whose requests go
 * through the client's fetch with the same headers as every other call (the bearer token,
 * x-tc-client). The EventSource reconnects by itself after a dropped connection and tRPC
 * resumes from the last event id, so this fetch is never retried here.
 */
import { httpSubscriptionLink, type TRPCLink } from "@trpc/client";
import { EventSource } from "eventsource";
import superjson from "superjson";
import type { AppRouter } from "../server/trpc/root";
import type { FetchLike } from "./fetch";

export type { LiveNote, ObjectNote } from "../server/live/notes";

export function sseLink(endpoint: string, base: FetchLike, headers: () => Record<string, string>): TRPCLink<AppRouter> {
  return httpSubscriptionLink<AppRouter, typeof EventSource>({
    url: endpoint,
    transformer: superjson,
    EventSource,
    eventSourceOptions: {
      fetch: (url, init) => base(url, { ...init, headers: { ...init.headers, ...headers() } }),
    },
  });
}
