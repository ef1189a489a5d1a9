"use client";
/** A range's addresses as one bar (used, on hold after a release, free) with the numbers beside it, never the bar alone. */
interface Counts {
  usable: number;
  used: number;
  onHold: number;
}

const pct = (n: number, total: number) => (total > 0 ? (n / total) * 100 : 0);

export function UsageBar({ counts, label }: { counts: Counts; label: string }) {
  const { usable, used, onHold } = counts;
  return (
    <div>
      <div
        role="img"
        aria-label={label}
        className="flex h-2 w-full overflow-hidden rounded bg-zinc-200 dark:bg-zinc-800"
      >
        <div className="h-full bg-sky-600" style={{ width: `${pct(used, usable)}%`, minWidth: used > 0 ? 2 : 0 }} />
        <div
          className="h-full bg-amber-500"
          style={{ width: `${pct(onHold, usable)}%`, minWidth: onHold > 0 ? 2 : 0 }}
        />
      </div>
      <p className="mt-1 text-xs tabular-nums text-zinc-600 dark:text-zinc-400">{label}</p>
    </div>
  );
}
