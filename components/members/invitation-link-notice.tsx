"use client";
import { useTranslations } from "next-intl";
import { Button } from "@/components/ui/button";
import { OneTimeValue } from "@/components/ui/one-time-value";
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
  // Rendered only after an invite in the browser, so the page's own origin is known.
  const origin = typeof window === "undefined" ? "" : window.location.origin;
  const link = `${origin}/invitations/${secret}`;

  return (
    <Notice>
      <p className="font-medium">{t("linkCreated", { email, role: roleLabel })}</p>
      <p className="mt-1">{t("linkOnce")}</p>
      <OneTimeValue
        value={link}
        testId="invitation-link"
        labels={{ value: t("linkLabel"), copy: t("copyLink"), copied: t("copied"), copyFailed: t("copyFailed") }}
      />
      <div className="mt-3">
        <Button variant="ghost" onClick={onDismiss}>
          {t("dismiss")}
        </Button>
      </div>
    </Notice>
  );
}
