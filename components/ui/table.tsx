import type { ReactNode } from "react";

/**
 * A data table that scrolls sideways inside its own frame when it is wider than the screen (a
 * phone), so the page itself never does. With `actions`, the last column (the row's buttons)
 * stays pinned at the right edge while the rest scrolls under it, so the actions of every row
 * are reachable without scrolling to the end.
 */
export function Table({
  caption,
  head,
  children,
  actions = false,
}: {
  caption: string;
  head: ReactNode[];
  children: ReactNode;
  actions?: boolean;
}) {
  const pinLast = actions
    ? "[&_tr>*:last-child]:sticky [&_tr>*:last-child]:right-0 [&_tr>*:last-child]:z-[1] [&_tbody_tr>*:last-child]:bg-white dark:[&_tbody_tr>*:last-child]:bg-zinc-950 [&_thead_tr>*:last-child]:bg-zinc-100 dark:[&_thead_tr>*:last-child]:bg-zinc-900 [&_tr>*:last-child]:shadow-[-6px_0_6px_-6px_rgb(0_0_0/0.25)]"
    : "";
  return (
    <div
      className="max-w-full overflow-x-auto overscroll-x-contain rounded-lg border border-zinc-200 dark:border-zinc-800"
      data-table-scroll
    >
      <table className={`w-full text-left text-sm ${pinLast}`}>
        <caption className="sr-only">{caption}</caption>
        <thead className="bg-zinc-100 text-xs uppercase text-zinc-600 dark:bg-zinc-900 dark:text-zinc-400">
          <tr>
            {head.map((h, i) => (
              // biome-ignore lint/suspicious/noArrayIndexKey: column headings are a static list, never reordered, and may repeat.
              <th key={i} scope="col" className="whitespace-nowrap px-3 py-2 font-medium">
                {h}
              </th>
            ))}
          </tr>
        </thead>
        <tbody className="divide-y divide-zinc-200 bg-white dark:divide-zinc-800 dark:bg-zinc-950">{children}</tbody>
      </table>
    </div>
  );
}

export function Td({ children, className = "" }: { children: ReactNode; className?: string }) {
  return <td className={`px-3 py-2 align-middle ${className}`}>{children}</td>;
}
