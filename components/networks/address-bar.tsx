"use client";
/**
 * A subnet's addresses as one bar: used (held by live pods), held (released, waiting out the
 * hold before reuse) and free, with the numbers beside it so the bar is never the only carrier.
 */
import { useTranslations } from "next-intl";

interface Usage {
  name: string;
  total: number;
  used: number;
  held: number;
  free: number;
}

const pct = (n: number, total: number) => (total > 0 ? (n / total) * 100 : 0);

export function AddressBar({ subnet }: { subnet: Usage }) {
  const t = useTranslations("networks");
  const { total, used, held, free } = subnet;
  const label = t("usage", { used, held, free, total });
  return (
    <div>
      <div
        role="img"
        aria-label={label}
        className="flex h-2 w-full overflow-hidden rounded bg-zinc-200 dark:bg-zinc-800"
        data-testid={`subnet-bar-${subnet.name}`}
      >
        <div className="h-full bg-sky-600" style={{ width: `${pct(used, total)}%`, minWidth: used > 0 ? 2 : 0 }} />
        <div className="h-full bg-amber-500" style={{ width: `${pct(held, total)}%`, minWidth: held > 0 ? 2 : 0 }} />
      </div>
      <p className="mt-1 text-xs tabular-nums text-zinc-600 dark:text-zinc-400">{label}</p>
    </div>
  );
}
