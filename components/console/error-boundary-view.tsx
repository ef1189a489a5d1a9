"use client";
import { useTranslations } from "next-intl";
import { useEffect } from "react";
import { ErrorView } from "./error-view";

/** The body of an `error.tsx` boundary: says what happened, offers a retry and the way back. */
export function ErrorBoundaryView({
  error,
  reset,
  backHref,
  backLabelKey,
}: {
  error: Error & { digest?: string };
  reset: () => void;
  backHref: string;
  backLabelKey: "backToConsole" | "backToAdmin" | "backHome";
}) {
  const t = useTranslations("errorPage");
  useEffect(() => {
    // The server logged it with the same digest; the browser console gets it for whoever debugs here.
    console.error(error);
  }, [error]);
  return (
    <ErrorView
      title={t("title")}
      body={t("body")}
      reference={error.digest ? t("reference", { digest: error.digest }) : undefined}
      backHref={backHref}
      backLabel={t(backLabelKey)}
      retry={{ label: t("retry"), onRetry: reset }}
    />
  );
}
