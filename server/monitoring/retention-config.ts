/**
 * `METRICS_RETENTION`: how long raw samples, minute and hour rollups are kept, as
 * "raw=6h,minute=7d,hour=90d" (any subset; units m, h, d). Bad text stops the server with a
 * message naming the part it could not read, rather than silently keeping the defaults.
 */
import { z } from "zod";
import { HOUR, MINUTE } from "@/db/queries/monitoring";
import { defaultRetention, type RetentionConfig } from "./jobs";

const unitMs = { m: MINUTE, h: HOUR, d: 24 * HOUR } as const;
const keyOf = { raw: "rawMs", minute: "minuteMs", hour: "hourMs" } as const;

const partSchema = z
  .string()
  .regex(
    /^(raw|minute|hour)=([1-9]\d{0,5})([mhd])$/,
    'expected "raw|minute|hour=<number><m|h|d>", for example "minute=2d"',
  );

export function parseRetention(text: string | undefined): RetentionConfig {
  const config = { ...defaultRetention };
  if (!text?.trim()) return config;
  for (const part of text.split(",").map((p) => p.trim())) {
    const parsed = partSchema.safeParse(part);
    if (!parsed.success)
      throw new Error(`METRICS_RETENTION: cannot read "${part}": ${parsed.error.issues[0]?.message}`);
    const [, name, amount, unit] = /^(raw|minute|hour)=(\d+)([mhd])$/.exec(part) as unknown as [
      string,
      keyof typeof keyOf,
      string,
      keyof typeof unitMs,
    ];
    config[keyOf[name]] = Number(amount) * unitMs[unit];
  }
  // Coarser data must outlive the finer data it is computed from, or charts would show gaps.
  if (!(config.rawMs <= config.minuteMs && config.minuteMs <= config.hourMs)) {
    throw new Error(
      "METRICS_RETENTION: keep raw samples no longer than minute rollups, and minute rollups no longer than hour rollups",
    );
  }
  return config;
}
