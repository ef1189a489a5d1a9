"use client";
/** A kubectl command the person can copy, to do from a terminal what this page shows. */
import { useTranslations } from "next-intl";
import { useState } from "react";
import { Button } from "../ui/button";

export function KubectlCommand({ command }: { command: string }) {
  const t = useTranslations("manifest");
  const [copied, setCopied] = useState(false);
  return (
    <div className="flex items-center gap-2 rounded-md border border-zinc-200 bg-zinc-50 px-3 py-1.5 dark:border-zinc-800 dark:bg-zinc-950">
      <code className="min-w-0 flex-1 truncate font-mono text-xs" title={command} data-testid="kubectl-command">
        {command}
      </code>
      <Button
        variant="ghost"
        className="h-7 px-2 text-xs"
        aria-label={t("copyCommand")}
        onClick={async () => {
          await navigator.clipboard.writeText(command);
          setCopied(true);
          setTimeout(() => setCopied(false), 2000);
        }}
      >
        {copied ? t("copied") : t("copy")}
      </Button>
    </div>
  );
}
