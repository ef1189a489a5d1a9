"use client";
import { useEngineTime } from "@/components/live/engine-time";

/**
 * The engine's clock, so ages read in modelled time: from the live stream's notes, never polled
 * (components/live/engine-time.tsx). It is not the wall clock: it may run faster
 * (ENGINE_TIME_SCALE) and it resumes where it stopped after a restart, so wherever its readings
 * are shown they are labelled (EngineClock, "engine time").
 */
export function useEngineNow(): number | undefined {
  return useEngineTime();
}
