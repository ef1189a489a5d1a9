"use client";
import { useTranslations } from "next-intl";
import { useState } from "react";
import { Button } from "@/components/ui/button";
import { Notice } from "@/components/ui/panel";

/** The new invitation's link, shown once (only its hash is kept), with a copy button. */
export function InvitationLinkNotice({
  email,
  roleLabel,
  secret,
  onDismiss,
}: {
  email: string;
  roleLabel: string;
  secret: string;
  onDismiss: () => void;
}) {
  const t = useTranslations("members");
  const [copied, setCopied] = useState<"no" | "yes" | "failed">("no");
  // Rendered only after an invite in the browser, so the page's own origin is known.
  const origin = typeof window === "undefined" ? "" : window.location.origin;
  const link = `${origin}/invitations/${secret}`;

  async function copy() {
    try {
      await navigator.clipboard.writeText(link);
      setCopied("yes");
    } catch {
      setCopied("failed");
    }
  }

  return (
    <Notice>
      <p className="font-medium">{t("linkCreated", { email, role: roleLabel })}</p>
      <p className="mt-1">{t("linkOnce")}</p>
      <div className="mt-3 flex flex-wrap items-center gap-2">
        <span className="text-xs font-medium uppercase">{t("linkLabel")}</span>
        <code
          data-testid="invitation-link"
          className="select-all break-all rounded bg-white px-2 py-1 font-mono text-xs text-zinc-900 dark:bg-zinc-950 dark:text-zinc-100"
        >
          {link}
        </code>
        <Button variant="secondary" onClick={copy}>
          {copied === "yes" ? t("copied") : t("copyLink")}
        </Button>
      </div>
      {copied === "failed" ? <p className="mt-2 text-red-700 dark:text-red-300">{t("copyFailed")}</p> : null}
      <div className="mt-3">
        <Button variant="ghost" onClick={onDismiss}>
          {t("dismiss")}
        </Button>
      </div>
    </Notice>
  );
}
