/**
 * The typed client for scripts:
 *
 *   import { createCloudClient, waitForRollout } from "tenant-cloud-console/client";
 *   const cloud = createCloudClient({ url: "https://cloud.example.com", token: process.env.CLOUD_TOKEN });
 *   const { items } = await cloud.pods.list.query({});
 *
 * Every procedure of the app router is typed (inputs and outputs). Authenticated by an API
 * token (it acts in its own tenant only). Errors are CloudError with one clear line.
 * Reads are retried on network failures with back-off; mutations are not retried blindly.
 * Subscriptions (`live.changes`: the console's live notes) arrive as server-sent events:
 *
 *   const sub = cloud.live.changes.subscribe(undefined, { onData: ({ data }) => console.log(data) });
 */
import { createTRPCClient, httpLink, splitLink, type TRPCClient } from "@trpc/client";
import type { inferRouterInputs, inferRouterOutputs } from "@trpc/server";
import superjson from "superjson";
import type { AppRouter } from "../server/trpc/root";
import { toCloudError } from "./errors";
import { retryingFetch, type FetchLike } from "./fetch";
import { sseLink } from "./live";

export { CloudError, isCloudError, toCloudError, type CloudErrorCode } from "./errors";
export { rolloutState, waitForRollout, type RolloutProgress, type WaitForRolloutOptions } from "./rollout";
export type { LiveNote, ObjectNote } from "./live";
export type { AppRouter };
export type RouterInputs = inferRouterInputs<AppRouter>;
export type RouterOutputs = inferRouterOutputs<AppRouter>;
export type CloudClient = TRPCClient<AppRouter>;

export interface CloudClientOptions {
  /** The console's base URL (e.g. https://cloud.example.com); `/api/trpc` is added unless present. */
  url: string;
  /** An API token's secret (the console's API tokens page, or `tokens.create`). */
  token?: string;
  /** A fetch to use instead of the global one (tests, proxies). */
  fetch?: FetchLike;
  /** Attempts for reads on network failures (default 3; 1 disables retries). */
  retries?: number;
  /** First back-off delay in ms (default 200, doubling, with jitter). */
  retryDelayMs?: number;
  /** Sent as the x-tc-client header (default "script"); the CLI sends "cloudctl". */
  clientName?: string;
  /** Extra headers for every request. */
  headers?: Record<string, string>;
}

/** The API endpoint for a console URL. */
export function apiEndpoint(url: string): string {
  const trimmed = url.replace(/\/+$/, "");
  return trimmed.endsWith("/api/trpc") ? trimmed : `${trimmed}/api/trpc`;
}

export function createCloudClient(options: CloudClientOptions): CloudClient {
  const endpoint = apiEndpoint(options.url);
  const base: FetchLike = options.fetch ?? ((input, init) => fetch(input, init));
  const headers = () => ({
    ...options.headers,
    "x-tc-client": options.clientName ?? "script",
    ...(options.token ? { authorization: `Bearer ${options.token}` } : {}),
  });
  const client = createTRPCClient<AppRouter>({
    links: [
      splitLink({
        condition: (op) => op.type === "subscription",
        true: sseLink(endpoint, base, headers),
        false: httpLink({
          url: endpoint,
          transformer: superjson,
          fetch: retryingFetch(base, { attempts: options.retries, baseDelayMs: options.retryDelayMs }),
          headers,
        }),
      }),
    ],
  });
  return withCloudErrors(client, options.url.replace(/\/+$/, ""));
}

/** Wraps every `.query()` / `.mutate()` so that failures reject with a CloudError. */
function withCloudErrors<T extends object>(target: T, url: string): T {
  return new Proxy(target, {
    get(obj, key, receiver) {
      const value: unknown = Reflect.get(obj, key, receiver);
      if (typeof key === "symbol") return value;
      if (key === "query" || key === "mutate") {
        return (...args: unknown[]) =>
          (value as (...a: unknown[]) => Promise<unknown>)(...args).catch((error: unknown) => {
            throw toCloudError(error, url);
          });
      }
      if (key === "subscribe" || key === "then") return value;
      return value !== null && (typeof value === "object" || typeof value === "function")
        ? withCloudErrors(value as object, url)
        : value;
    },
  });
}
