"use client";
import { useQuery } from "@tanstack/react-query";
import { useTRPC } from "@/components/trpc";

/** The engine's clock (it may run faster than wall time), refreshed with the page's data, so ages read in modelled time. */
export function useEngineNow(refetchInterval = 3000): number | undefined {
  const trpc = useTRPC();
  const clock = useQuery(trpc.session.clock.queryOptions(undefined, { refetchInterval }));
  return clock.data?.now;
}
