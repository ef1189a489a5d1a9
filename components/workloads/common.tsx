"use client";
import Link from "next/link";
import { useTranslations } from "next-intl";
import { useCallback, useState } from "react";
import { useEngineTime } from "@/components/live/engine-time";
import { EmptyState } from "@/components/ui/panel";
import { Button } from "@/components/ui/button";

/** The engine's now (it may run faster than wall time), from the live stream; null before its first note. */
export function useEngineNow(): number | null {
  return useEngineTime() ?? null;
}

export function isNotFound(error: unknown): boolean {
  return (error as { data?: { code?: string } } | null)?.data?.code === "NOT_FOUND";
}

/** A friendly "not found" with the way back. */
export function NotFoundPanel({
  title,
  body,
  href,
  linkLabel,
}: {
  title: string;
  body: string;
  href: string;
  linkLabel: string;
}) {
  return (
    <EmptyState title={title}>
      <p>{body}</p>
      <p className="mt-3">
        <Link href={href} className="font-medium text-sky-700 underline underline-offset-2 dark:text-sky-400">
          {linkLabel}
        </Link>
      </p>
    </EmptyState>
  );
}

/** Cursor pagination: a stack of cursors so that Previous returns exactly to the last page. */
export function useCursorPager(resetKey: string) {
  const [state, setState] = useState<{ key: string; stack: (string | undefined)[] }>({
    key: resetKey,
    stack: [undefined],
  });
  const stack = state.key === resetKey ? state.stack : [undefined];
  const cursor = stack[stack.length - 1];
  const next = useCallback((c: string) => setState({ key: resetKey, stack: [...stack, c] }), [resetKey, stack]);
  const previous = useCallback(
    () => setState({ key: resetKey, stack: stack.length > 1 ? stack.slice(0, -1) : stack }),
    [resetKey, stack],
  );
  return { cursor, page: stack.length, next, previous, hasPrevious: stack.length > 1 };
}

export function Pager({
  page,
  hasPrevious,
  nextCursor,
  onNext,
  onPrevious,
}: {
  page: number;
  hasPrevious: boolean;
  nextCursor?: string;
  onNext: (c: string) => void;
  onPrevious: () => void;
}) {
  const t = useTranslations("common");
  const tw = useTranslations("workloads");
  if (!hasPrevious && !nextCursor) return null;
  return (
    <nav aria-label={tw("pagination")} className="mt-3 flex items-center justify-end gap-2 text-sm">
      <span className="text-zinc-500 dark:text-zinc-400">{tw("page", { page })}</span>
      <Button variant="secondary" disabled={!hasPrevious} onClick={onPrevious}>
        {t("previous")}
      </Button>
      <Button variant="secondary" disabled={!nextCursor} onClick={() => nextCursor && onNext(nextCursor)}>
        {t("next")}
      </Button>
    </nav>
  );
}

export function ProgressBar({ value, max, label }: { value: number; max: number; label: string }) {
  const pct = max > 0 ? Math.min(100, Math.round((value / max) * 100)) : 100;
  return (
    <div>
      <div className="mb-1 flex justify-between text-xs text-zinc-600 dark:text-zinc-400">
        <span>{label}</span>
        <span>
          {value}/{max}
        </span>
      </div>
      <div
        role="progressbar"
        aria-label={label}
        aria-valuemin={0}
        aria-valuemax={max}
        aria-valuenow={value}
        className="h-2 w-full overflow-hidden rounded bg-zinc-200 dark:bg-zinc-800"
      >
        <div className="h-full bg-sky-600 transition-[width] duration-500" style={{ width: `${pct}%` }} />
      </div>
    </div>
  );
}

export const linkClass = "font-medium text-sky-700 hover:underline dark:text-sky-400";
