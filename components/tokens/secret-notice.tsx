"use client";
import { useTranslations } from "next-intl";
import { useState } from "react";
import { downloadText } from "@/components/billing/download";
import { Button } from "@/components/ui/button";
import { OneTimeValue } from "@/components/ui/one-time-value";
import { Notice } from "@/components/ui/panel";

/**
 * The new token's secret, shown once, with a copy button, a ready-to-run example and the
 * token's kubeconfig to download (made by the server from the token: POST /api/kubeconfig).
 */
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
  const [kubeconfigError, setKubeconfigError] = useState<string | null>(null);
  const kubeconfigFile = `kubeconfig-${name.replace(/[^A-Za-z0-9._-]+/g, "-") || "token"}.yaml`;

  async function downloadKubeconfig() {
    setKubeconfigError(null);
    try {
      const response = await fetch("/api/kubeconfig", {
        method: "POST",
        headers: { authorization: `Bearer ${secret}` },
      });
      if (!response.ok) {
        const body = (await response.json().catch(() => null)) as { error?: { message?: string } } | null;
        throw new Error(body?.error?.message ?? response.statusText);
      }
      downloadText(kubeconfigFile, await response.text(), "application/yaml");
    } catch (e) {
      setKubeconfigError(t("kubeconfigFailed", { message: (e as Error).message }));
    }
  }

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
      <p className="mt-3">{t("kubectlLabel")}</p>
      <pre className="mt-1 overflow-x-auto rounded bg-white p-2 font-mono text-xs text-zinc-900 dark:bg-zinc-950 dark:text-zinc-100">
        <code data-testid="kubectl-example">{`kubectl --kubeconfig ${kubeconfigFile} get pods`}</code>
      </pre>
      {kubeconfigError ? (
        <p role="alert" className="mt-2 text-red-700 dark:text-red-400">
          {kubeconfigError}
        </p>
      ) : null}
      <div className="mt-3 flex flex-wrap gap-2">
        <Button variant="secondary" onClick={downloadKubeconfig}>
          {t("downloadKubeconfig")}
        </Button>
        <Button variant="ghost" onClick={onDismiss}>
          {t("dismiss")}
        </Button>
      </div>
    </Notice>
  );
}
