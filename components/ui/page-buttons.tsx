"use client";
import { useTranslations } from "next-intl";
import { Button } from "./button";

/** Previous / "Page 2 of 5" / Next, for a list paged in the browser (useClientPages). */
export function PageButtons({
  label,
  page,
  pages,
  onPrevious,
  onNext,
}: {
  label: string;
  page: number;
  pages: number;
  onPrevious: () => void;
  onNext: () => void;
}) {
  const t = useTranslations("common");
  const tl = useTranslations("lists");
  if (pages <= 1) return null;
  return (
    <nav aria-label={label} className="flex items-center justify-end gap-3">
      <Button variant="secondary" disabled={page <= 1} onClick={onPrevious}>
        {t("previous")}
      </Button>
      <span className="text-sm tabular-nums text-zinc-600 dark:text-zinc-400" aria-live="polite">
        {tl("pageOf", { page, pages })}
      </span>
      <Button variant="secondary" disabled={page >= pages} onClick={onNext}>
        {t("next")}
      </Button>
    </nav>
  );
}
