"use client";
import { useTranslations } from "next-intl";
import { useLiveState } from "./live-updates";

/** "Live" while the page follows changes, "Reconnecting…" while it does not (its data may be behind). */
export function LiveIndicator() {
  const t = useTranslations("live");
  const state = useLiveState();
  if (state === "off") return null;
  const live = state === "live";
  return (
    <span
      className="inline-flex items-center gap-1.5 text-xs text-zinc-600 dark:text-zinc-400"
      data-testid="live-indicator"
      data-live-state={state}
      title={live ? t("liveHint") : t("reconnectingHint")}
      role="status"
    >
      <span aria-hidden className={`h-2 w-2 rounded-full ${live ? "bg-emerald-500" : "animate-pulse bg-amber-500"}`} />
      {live ? t("live") : t("reconnecting")}
    </span>
  );
}
