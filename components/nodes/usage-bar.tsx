/**
 * A labelled capacity bar (role=meter) with its numbers written out, fixed height so that rows
 * never jump. `total` undefined means "no limit": the numbers are shown without a bar fill.
 */
export function UsageBar({
  label,
  used,
  total,
  text,
  compact = false,
}: {
  label: string;
  used: number;
  total: number | undefined;
  text: string;
  compact?: boolean;
}) {
  const share = total ? Math.min(100, Math.round((used / total) * 100)) : 0;
  const tone = share >= 90 ? "bg-red-500" : share >= 75 ? "bg-amber-500" : "bg-sky-600 dark:bg-sky-500";
  return (
    <div className={compact ? "min-w-[7.5rem]" : ""}>
      <div className={`flex items-baseline justify-between gap-2 ${compact ? "text-xs" : "text-sm"}`}>
        {compact ? null : <span className="font-medium">{label}</span>}
        <span className="tabular-nums text-zinc-700 dark:text-zinc-300">{text}</span>
      </div>
      {/* biome-ignore lint/a11y/useSemanticElements: a custom-styled bar with a tone-coloured fill; a native <meter> cannot render it. */}
      <div
        role="meter"
        aria-label={label}
        aria-valuemin={0}
        aria-valuemax={total ?? 0}
        aria-valuenow={used}
        aria-valuetext={text}
        className={`mt-1 w-full overflow-hidden rounded-full bg-zinc-200 dark:bg-zinc-800 ${compact ? "h-1.5" : "h-2.5"}`}
      >
        <div className={`h-full rounded-full ${tone}`} style={{ width: `${share}%` }} />
      </div>
    </div>
  );
}

/** GiB with one decimal: 8589934592 → "8". */
export function formatGiB(bytes: number): string {
  return `${+(bytes / 2 ** 30).toFixed(1)}`;
}
