"use client";
import { useTranslations } from "next-intl";
import { Button } from "@/components/ui/button";
import { OneTimeValue } from "@/components/ui/one-time-value";
import { Notice } from "@/components/ui/panel";

/** The new token's secret, shown once, with a copy button and a ready-to-run example. */
export function SecretNotice({
  name,
  secret,
  onDismiss,
  examplePath = "/api/trpc/tenants.current",
  exampleLabel,
}: {
  name: string;
  secret: string;
  onDismiss: () => void;
  /** What the ready-to-run example calls (an operator token scrapes /api/metrics). */
  examplePath?: string;
  exampleLabel?: string;
}) {
  const t = useTranslations("tokens");
  const tc = useTranslations("common");
  // Rendered only after a create in the browser, so the page's own origin is known.
  const origin = typeof window === "undefined" ? "http://<host>" : window.location.origin;
  const example = `curl -H "Authorization: Bearer ${secret}" -H "x-tc-client: script" ${origin}${examplePath}`;

  return (
    <Notice>
      <p className="font-medium">{t("created", { name })}</p>
      <p className="mt-1">{t("secretOnce")}</p>
      <OneTimeValue
        value={secret}
        testId="token-secret"
        labels={{ value: t("secretLabel"), copy: t("copySecret"), copied: tc("copied"), copyFailed: t("copyFailed") }}
      />
      <p className="mt-3">{exampleLabel ?? t("exampleLabel")}</p>
      <pre className="mt-1 overflow-x-auto rounded bg-white p-2 font-mono text-xs text-zinc-900 dark:bg-zinc-950 dark:text-zinc-100">
        <code>{example}</code>
      </pre>
      <div className="mt-3">
        <Button variant="ghost" onClick={onDismiss}>
          {t("dismiss")}
        </Button>
      </div>
    </Notice>
  );
}
