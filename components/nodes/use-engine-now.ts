"use client";
import { useQuery } from "@tanstack/react-query";
import { useTRPC } from "@/components/trpc";

/**
 * The engine's clock, refreshed with the page's data, so ages read in modelled time. It is not
 * the wall clock: it may run faster (ENGINE_TIME_SCALE) and it resumes where it stopped after a
 * restart, so wherever its readings are shown they are labelled (EngineClock, "engine time").
 */
export function useEngineNow(refetchInterval = 3000): number | undefined {
  const trpc = useTRPC();
  const clock = useQuery(trpc.session.clock.queryOptions(undefined, { refetchInterval }));
  return clock.data?.now;
}
