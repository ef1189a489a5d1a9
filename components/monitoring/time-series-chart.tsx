"use client";
import { useFormatter, useTranslations } from "next-intl";
import { useId, type ReactNode } from "react";
import {
  CartesianGrid,
  Legend,
  Line,
  LineChart,
  ReferenceLine,
  ResponsiveContainer,
  Tooltip,
  XAxis,
  YAxis,
} from "recharts";
import { niceTicks } from "@/components/format";
import { ErrorNote } from "@/components/ui/panel";
import { digitsFor, displayUnit, palette, rangeMs, toUnit, type Range, type Unit } from "./metrics";

export interface ChartPoint {
  t: number;
  value: number;
  max: number;
}
export interface ChartSeries {
  key: string;
  label: string;
  points: ChartPoint[];
  color?: string;
}
/** A horizontal line in raw API units (millicores, bytes): a request, a limit or a capacity. */
export interface ChartReference {
  value: number;
  label: string;
  tone: "request" | "limit" | "capacity";
}
/** A vertical mark at an engine time, e.g. a container restart. */
export interface ChartMarker {
  t: number;
  label: string;
}

const axis = { fill: "currentColor", fontSize: 11 };
const tooltipStyle = {
  backgroundColor: "rgb(24 24 27 / 0.92)",
  border: "none",
  borderRadius: 6,
  color: "#fafafa",
  fontSize: 12,
};
const refColor = { request: "#d97706", limit: "#dc2626", capacity: "#71717a" } as const;

/** Formats a value already in its display unit ("0.3 cores", "128 MiB"). */
export function useUnitFormat() {
  const t = useTranslations("monitoring.units");
  const format = useFormatter();
  return (unit: Unit, value: number) => {
    const digits = digitsFor(value);
    // `n` picks the plural form ("1 core", "0.5 cores"); `value` is the number as shown.
    const n = Number(value.toFixed(digits));
    return t(unit, { value: format.number(value, { maximumFractionDigits: digits }), n });
  };
}

/**
 * Merges series by time and inserts an empty row wherever samples are missing for more than
 * one and a half steps, so that Recharts draws a gap (samples exist only while a container runs).
 */
export function toRows(series: ChartSeries[], unit: Unit, stepMs: number): Record<string, number | null>[] {
  const byT = new Map<number, Record<string, number | null>>();
  for (const s of series) {
    for (const p of s.points) {
      const row = byT.get(p.t) ?? { t: p.t };
      row[s.key] = toUnit(unit, p.value);
      byT.set(p.t, row);
    }
  }
  const sorted = [...byT.values()].sort((a, b) => (a.t as number) - (b.t as number));
  const rows: Record<string, number | null>[] = [];
  const empty = Object.fromEntries(series.map((s) => [s.key, null]));
  for (const row of sorted) {
    const prev = rows[rows.length - 1];
    if (prev && stepMs > 0 && (row.t as number) - (prev.t as number) > 1.5 * stepMs)
      rows.push({ ...empty, t: (prev.t as number) + stepMs });
    rows.push({ ...empty, ...row });
  }
  return rows;
}

/** Row indexes where a series has a value but neither neighbour does: drawn as a dot, or they would not show at all. */
function isolatedPoints(rows: Record<string, number | null>[], key: string): Set<number> {
  const out = new Set<number>();
  rows.forEach((r, i) => {
    const v = r[key];
    if (v === null || v === undefined) return;
    const before = rows[i - 1]?.[key];
    const after = rows[i + 1]?.[key];
    if ((before === null || before === undefined) && (after === null || after === undefined)) out.add(i);
  });
  return out;
}

/** Five evenly spaced time ticks over the domain. */
function ticksFor(from: number, to: number): number[] {
  return Array.from({ length: 5 }, (_, i) => Math.round(from + ((to - from) * i) / 4));
}

type Row = Record<string, number | null>;

/** The newest plotted value of a series, with its time. */
function latestOf(rows: Row[], key: string): { t: number; value: number } | undefined {
  for (let i = rows.length - 1; i >= 0; i--) {
    const v = rows[i]![key];
    if (typeof v === "number") return { t: rows[i]!.t as number, value: v };
  }
  return undefined;
}

/** The highest plotted value of a series (the line's top, not a bucket's hidden maximum). */
function peakOf(rows: Row[], key: string): number | undefined {
  let peak: number | undefined;
  for (const r of rows) {
    const v = r[key];
    if (typeof v === "number" && (peak === undefined || v > peak)) peak = v;
  }
  return peak;
}

/**
 * One titled time-series figure: a fixed-height plot (nothing jumps while loading), hover
 * values in readable units, request/limit lines, restart marks, gaps where no samples exist,
 * and a short text summary (latest and peak) for people who do not see the plot.
 */
export function TimeSeriesChart(props: {
  testId: string;
  title: string;
  unit: Unit;
  series: ChartSeries[];
  stepMs: number | undefined;
  range: Range;
  now: number | null;
  references?: ChartReference[];
  markers?: ChartMarker[];
  isPending: boolean;
  error?: string | null;
  empty: ReactNode;
  headerExtra?: ReactNode;
  /** Plot height in Tailwind units: h-48 or h-64. */
  size?: "sm" | "md";
}) {
  const t = useTranslations("monitoring.chart");
  const format = useFormatter();
  const fmt = useUnitFormat();
  const titleId = useId();
  const summaryId = useId();
  const { series, range, now } = props;
  const refs = props.references ?? [];
  const maxRaw = Math.max(0, ...series.flatMap((s) => s.points.map((p) => p.value)), ...refs.map((r) => r.value));
  const unit = displayUnit(props.unit, maxRaw);
  const step = props.stepMs ?? 10_000;
  const rows = toRows(series, unit, step);
  const hasData = rows.length > 0;
  const span = rangeMs[range];
  const lastT = rows.length ? (rows[rows.length - 1]!.t as number) : 0;
  const end = Math.max(now ?? lastT, lastT);
  const domain: [number, number] | ["dataMin", "dataMax"] = end ? [end - span, end] : ["dataMin", "dataMax"];
  const time = (at: number) =>
    range === "7d" || range === "24h"
      ? format.dateTime(at, { month: "numeric", day: "numeric", hour: "2-digit", minute: "2-digit" })
      : format.dateTime(at, { hour: "2-digit", minute: "2-digit", ...(range === "15m" ? { second: "2-digit" } : {}) });

  // The summary reads the rows the plot draws, in the same unit: text and line never disagree.
  const latest = series
    .map((s) => ({ s, p: latestOf(rows, s.key) }))
    .filter((x): x is { s: ChartSeries; p: { t: number; value: number } } => x.p !== undefined);
  const newest = latest.reduce((m, x) => Math.max(m, x.p.t), 0);
  const first = series[0];
  const firstLatest = first ? latestOf(rows, first.key) : undefined;
  const peak = first ? peakOf(rows, first.key) : undefined;
  const y = niceTicks(
    Math.max(0, ...series.map((s) => peakOf(rows, s.key) ?? 0), ...refs.map((r) => toUnit(unit, r.value))),
  );
  const markers = (props.markers ?? []).filter((m) => m.t >= end - span);
  const summary = hasData
    ? [
        t("latest", {
          time: format.dateTime(newest, { hour: "2-digit", minute: "2-digit", second: "2-digit" }),
          values: format.list(
            latest.map((x) => `${x.s.label} ${fmt(unit, x.p.value)}`),
            { type: "unit" },
          ),
        }),
        peak !== undefined && first ? t("peak", { series: first.label, value: fmt(unit, peak) }) : null,
        refs.length
          ? format.list(
              refs.map((r) => `${r.label} ${fmt(unit, toUnit(unit, r.value))}`),
              { type: "unit" },
            )
          : null,
        markers.length ? t("marks", { count: markers.length }) : null,
      ]
        .filter(Boolean)
        .join(" ")
    : null;
  const plotHeight = props.size === "sm" ? "h-48" : "h-64";

  return (
    <figure
      aria-labelledby={titleId}
      aria-describedby={summaryId}
      data-testid={`chart-${props.testId}`}
      className="rounded-lg border border-zinc-200 bg-white p-4 shadow-sm dark:border-zinc-800 dark:bg-zinc-900"
    >
      <div className="mb-1 flex flex-wrap items-start justify-between gap-2">
        <figcaption id={titleId} className="text-sm font-semibold text-zinc-700 dark:text-zinc-300">
          {props.title}
        </figcaption>
        {props.headerExtra}
      </div>
      <p
        id={summaryId}
        data-testid={`chart-summary-${props.testId}`}
        data-latest={firstLatest?.value}
        data-peak={peak}
        data-unit={unit}
        aria-live="polite"
        className="mb-2 min-h-8 text-xs text-zinc-600 dark:text-zinc-400"
      >
        {props.isPending
          ? t("loading")
          : (summary ??
            [t("noData"), markers.length ? t("marks", { count: markers.length }) : null].filter(Boolean).join(" "))}
      </p>
      <div className={`${plotHeight} text-zinc-600 dark:text-zinc-400`}>
        {props.isPending ? (
          <div aria-hidden className="h-full animate-pulse rounded bg-zinc-100 dark:bg-zinc-800" />
        ) : props.error ? (
          <div className="flex h-full items-center justify-center">
            <ErrorNote message={props.error} />
          </div>
        ) : !hasData ? (
          <div className="flex h-full items-center justify-center rounded border border-dashed border-zinc-300 p-4 text-center text-sm dark:border-zinc-700">
            <div>{props.empty}</div>
          </div>
        ) : (
          <ResponsiveContainer width="100%" height="100%">
            <LineChart data={rows} margin={{ top: 8, right: 16, bottom: 0, left: 0 }} desc={summary ?? undefined}>
              <CartesianGrid strokeDasharray="3 3" stroke="currentColor" strokeOpacity={0.15} />
              <XAxis
                dataKey="t"
                type="number"
                scale="time"
                domain={domain}
                ticks={end ? ticksFor(end - span, end) : undefined}
                allowDataOverflow
                tickFormatter={time}
                tick={axis}
                stroke="currentColor"
                minTickGap={32}
              />
              <YAxis
                tick={axis}
                stroke="currentColor"
                width={56}
                domain={[0, y.ticks[y.ticks.length - 1]!]}
                ticks={y.ticks}
                allowDataOverflow
                tickFormatter={(v: number) => format.number(v, { maximumFractionDigits: y.digits })}
                label={{
                  value: t(`axis.${unit}`),
                  angle: -90,
                  position: "insideLeft",
                  fill: "currentColor",
                  fontSize: 11,
                }}
              />
              <Tooltip
                contentStyle={tooltipStyle}
                labelFormatter={(v) =>
                  format.dateTime(Number(v), {
                    month: "numeric",
                    day: "numeric",
                    hour: "2-digit",
                    minute: "2-digit",
                    second: "2-digit",
                  })
                }
                formatter={(v) => (typeof v === "number" ? fmt(unit, v) : "–")}
              />
              {series.length > 1 ? <Legend wrapperStyle={{ fontSize: 12 }} /> : null}
              {series.map((s, i) => {
                const color = s.color ?? palette[i % palette.length];
                const lone = isolatedPoints(rows, s.key);
                return (
                  <Line
                    key={s.key}
                    type="linear"
                    dataKey={s.key}
                    name={s.label}
                    stroke={color}
                    dot={(d: { cx?: number; cy?: number; index?: number }) =>
                      d.index !== undefined && lone.has(d.index) && d.cx !== undefined && d.cy !== undefined ? (
                        <circle key={`${s.key}-${d.index}`} cx={d.cx} cy={d.cy} r={2.5} fill={color} />
                      ) : (
                        <g key={`${s.key}-${d.index}`} />
                      )
                    }
                    strokeWidth={i === 0 ? 2 : 1.5}
                    connectNulls={false}
                    isAnimationActive={false}
                  />
                );
              })}
              {refs.map((r) => (
                <ReferenceLine
                  key={`${r.tone}-${r.label}`}
                  y={toUnit(unit, r.value)}
                  stroke={refColor[r.tone]}
                  strokeDasharray="6 4"
                  ifOverflow="extendDomain"
                  label={{ value: r.label, position: "insideTopLeft", fill: refColor[r.tone], fontSize: 11 }}
                />
              ))}
              {markers.map((m, i) => (
                <ReferenceLine
                  // biome-ignore lint/suspicious/noArrayIndexKey: markers may share a time; the index only disambiguates, the list is rebuilt in order.
                  key={`${m.t}-${i}`}
                  x={m.t}
                  stroke="#dc2626"
                  strokeDasharray="2 3"
                  label={{ value: m.label, position: "insideTopRight", fill: "#dc2626", fontSize: 10 }}
                />
              ))}
            </LineChart>
          </ResponsiveContainer>
        )}
      </div>
    </figure>
  );
}

/** Buttons for the five ranges, as a labelled radio group. */
export function RangePicker({ value, onChange }: { value: Range; onChange: (r: Range) => void }) {
  const t = useTranslations("monitoring.range");
  return (
    <div
      role="radiogroup"
      aria-label={t("label")}
      className="inline-flex overflow-hidden rounded-md border border-zinc-300 dark:border-zinc-700"
    >
      {(["15m", "1h", "6h", "24h", "7d"] as const).map((r) => (
        // biome-ignore lint/a11y/useSemanticElements: a segmented control of styled buttons following the ARIA radio pattern (aria-checked).
        <button
          key={r}
          type="button"
          role="radio"
          aria-checked={value === r}
          onClick={() => onChange(r)}
          className={`h-9 px-3 text-sm font-medium ${
            value === r
              ? "bg-sky-600 text-white"
              : "bg-white text-zinc-700 hover:bg-zinc-100 dark:bg-zinc-900 dark:text-zinc-300 dark:hover:bg-zinc-800"
          }`}
        >
          {t(r)}
        </button>
      ))}
    </div>
  );
}
