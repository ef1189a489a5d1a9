import Link from "next/link";
import type { ReactNode } from "react";

/**
 * What a dead end looks like instead: a title, a sentence, and always a way on (a link back,
 * and a retry where one can help). Shared by the 404 page and every error boundary.
 */
export function ErrorView(props: {
  code?: string;
  title: string;
  body: ReactNode;
  backHref: string;
  backLabel: string;
  /** The error's digest, quoted when someone asks an operator about it. */
  reference?: string;
  retry?: { label: string; onRetry: () => void };
}) {
  return (
    <div className="mx-auto flex min-h-[60vh] max-w-xl flex-col items-center justify-center px-4 py-12 text-center">
      {props.code ? (
        <p className="font-mono text-sm font-semibold text-sky-700 dark:text-sky-400">{props.code}</p>
      ) : null}
      <h1 className="mt-2 text-2xl font-semibold tracking-tight">{props.title}</h1>
      <div className="mt-3 text-sm text-zinc-600 dark:text-zinc-400">{props.body}</div>
      {props.reference ? <p className="mt-3 font-mono text-xs text-zinc-500">{props.reference}</p> : null}
      <div className="mt-6 flex flex-wrap items-center justify-center gap-3">
        {props.retry ? (
          <button
            type="button"
            onClick={props.retry.onRetry}
            className="inline-flex h-9 items-center rounded-md bg-sky-600 px-3 text-sm font-medium text-white hover:bg-sky-700"
          >
            {props.retry.label}
          </button>
        ) : null}
        <Link
          href={props.backHref}
          className="inline-flex h-9 items-center rounded-md border border-zinc-300 bg-white px-3 text-sm font-medium text-zinc-900 hover:bg-zinc-100 dark:border-zinc-700 dark:bg-zinc-900 dark:text-zinc-100 dark:hover:bg-zinc-800"
        >
          {props.backLabel}
        </Link>
      </div>
    </div>
  );
}
