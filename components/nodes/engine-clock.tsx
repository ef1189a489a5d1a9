"use client";
import { useFormatter, useNow, useTranslations } from "next-intl";
import { useId } from "react";
import { useEngineTime } from "@/components/live/engine-time";

/**
 * The engine's modelled clock, labelled as such beside the wall clock, with a tooltip saying why
 * they differ: ages, events and charts read the engine's time, not the computer's. Both tick
 * every second; the engine's comes from the live stream (no request).
 */
export function EngineClock() {
  const t = useTranslations("engineClock");
  const format = useFormatter();
  const engineNow = useEngineTime(1000);
  const wallNow = useNow({ updateInterval: 1000 });
  const hintId = useId();
  const time = (at: number) => format.dateTime(at, { hour: "2-digit", minute: "2-digit", second: "2-digit" });
  return (
    <span
      className="inline-flex flex-wrap items-center gap-x-3 gap-y-1 text-xs text-zinc-600 dark:text-zinc-400"
      data-testid="engine-clock"
    >
      <span title={t("engineHint")} aria-describedby={hintId} className="inline-flex items-center gap-1 cursor-help">
        <span>{t("engine")}</span>
        <time
          className="font-mono tabular-nums text-zinc-900 dark:text-zinc-100"
          dateTime={engineNow ? new Date(engineNow).toISOString() : undefined}
        >
          {engineNow ? time(engineNow) : "–"}
        </time>
        <span
          aria-hidden
          className="inline-flex h-4 w-4 items-center justify-center rounded-full border border-current text-[10px]"
        >
          ?
        </span>
      </span>
      <span className="inline-flex items-center gap-1">
        <span>{t("wall")}</span>
        <time className="font-mono tabular-nums" suppressHydrationWarning>
          {time(wallNow.getTime())}
        </time>
      </span>
      <span id={hintId} className="sr-only">
        {t("engineHint")}
      </span>
    </span>
  );
}
