"use client";
import { QueryClient, QueryClientProvider } from "@tanstack/react-query";
import {
  createTRPCClient,
  httpBatchLink,
  httpLink,
  httpSubscriptionLink,
  isNonJsonSerializable,
  retryLink,
  splitLink,
} from "@trpc/client";
import { useState, type ReactNode } from "react";
import superjson from "superjson";
import { consoleBatchItems } from "@/server/http/batch-size";
import type { AppRouter } from "@/server/trpc/root";
import { TRPCProvider } from "./trpc";

function makeQueryClient() {
  return new QueryClient({
    defaultOptions: {
      queries: {
        staleTime: 5_000,
        retry: (count, error) => count < 2 && !isClientError(error),
        refetchOnWindowFocus: true,
      },
    },
  });
}

function isClientError(error: unknown): boolean {
  const status = (error as { data?: { httpStatus?: number } })?.data?.httpStatus;
  return typeof status === "number" && status >= 400 && status < 500;
}

const headers = () => ({ "x-tc-client": "console" });

/** A dropped connection or a busy server is retried; a caller who may not read the tenant is not. */
function retriesLive(error: unknown): boolean {
  const status = (error as { data?: { httpStatus?: number } })?.data?.httpStatus;
  return typeof status !== "number" || status === 429 || status >= 500;
}

/** 1 s, 2 s, 4 s … up to 30 s: a restarting server is not hammered by every open console at once. */
const liveRetryDelay = (attempt: number) => Math.min(30_000, 1000 * 2 ** Math.max(0, attempt - 1));

export function Providers({ children }: { children: ReactNode }) {
  const [queryClient] = useState(makeQueryClient);
  const [trpcClient] = useState(() =>
    createTRPCClient<AppRouter>({
      links: [
        splitLink({
          // The live notes (live.changes): server-sent events, resumed from the last id after a drop.
          condition: (op) => op.type === "subscription",
          true: [
            retryLink({ retry: ({ error }) => retriesLive(error), retryDelayMs: liveRetryDelay }),
            httpSubscriptionLink({ url: "/api/trpc", transformer: superjson }),
          ],
          false: splitLink({
            condition: (op) => isNonJsonSerializable(op.input),
            true: httpLink({ url: "/api/trpc", transformer: superjson, headers }),
            // Below the server's cap on calls per batch; long GET URLs split before proxies refuse them.
            false: httpBatchLink({
              url: "/api/trpc",
              transformer: superjson,
              headers,
              maxItems: consoleBatchItems,
              maxURLLength: 8000,
            }),
          }),
        }),
      ],
    }),
  );
  return (
    <QueryClientProvider client={queryClient}>
      <TRPCProvider trpcClient={trpcClient} queryClient={queryClient}>
        {children}
      </TRPCProvider>
    </QueryClientProvider>
  );
}
