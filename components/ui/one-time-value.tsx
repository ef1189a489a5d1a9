"use client";
import { useState } from "react";
import { Button } from "@/components/ui/button";

/**
 * A value shown once (a token's secret, an invitation link): selectable, with a copy button and
 * a message when the clipboard refuses. The labels come from the caller's catalog.
 */
export function OneTimeValue({
  value,
  testId,
  labels,
}: {
  value: string;
  testId: string;
  labels: { value: string; copy: string; copied: string; copyFailed: string };
}) {
  const [copied, setCopied] = useState<"no" | "yes" | "failed">("no");

  async function copy() {
    try {
      await navigator.clipboard.writeText(value);
      setCopied("yes");
    } catch {
      setCopied("failed");
    }
  }

  return (
    <>
      <div className="mt-3 flex flex-wrap items-center gap-2">
        <span className="text-xs font-medium uppercase">{labels.value}</span>
        <code
          data-testid={testId}
          className="select-all break-all rounded bg-white px-2 py-1 font-mono text-xs text-zinc-900 dark:bg-zinc-950 dark:text-zinc-100"
        >
          {value}
        </code>
        <Button variant="secondary" onClick={copy}>
          {copied === "yes" ? labels.copied : labels.copy}
        </Button>
      </div>
      {copied === "failed" ? <p className="mt-2 text-red-700 dark:text-red-300">{labels.copyFailed}</p> : null}
    </>
  );
}
