"use client";
import { QueryClient, QueryClientProvider } from "@tanstack/react-query";
import { createTRPCClient, httpBatchLink, httpLink, isNonJsonSerializable, splitLink } from "@trpc/client";
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

export function Providers({ children }: { children: ReactNode }) {
  const [queryClient] = useState(makeQueryClient);
  const [trpcClient] = useState(() =>
    createTRPCClient<AppRouter>({
      links: [
        splitLink({
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
