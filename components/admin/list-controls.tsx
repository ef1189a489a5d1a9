"use client";
import { useTranslations } from "next-intl";
import { useState } from "react";
import { Button } from "@/components/ui/button";
import { TextField } from "@/components/ui/field";

/** A search field applied on submit (Enter or the button). */
export function SearchBox({
  label,
  hint,
  onSearch,
}: {
  label: string;
  hint?: string;
  onSearch: (value: string) => void;
}) {
  const t = useTranslations("admin");
  const [value, setValue] = useState("");
  return (
    <search aria-label={label}>
      <form
        className="grid gap-3 sm:grid-cols-[minmax(0,24rem)_auto] sm:items-start"
        onSubmit={(e) => {
          e.preventDefault();
          onSearch(value);
        }}
      >
        <TextField
          label={label}
          hint={hint}
          type="search"
          value={value}
          onChange={(e) => setValue(e.target.value)}
          maxLength={100}
        />
        <Button type="submit" variant="secondary" className="sm:mt-6">
          {t("search")}
        </Button>
      </form>
    </search>
  );
}

/** Previous / Next buttons for keyset pages. */
export function Pager(props: {
  page: number;
  hasPrevious: boolean;
  nextCursor: string | null | undefined;
  busy?: boolean;
  onPrevious: () => void;
  onNext: (cursor: string) => void;
}) {
  const t = useTranslations("admin.pager");
  const tc = useTranslations("common");
  const { nextCursor } = props;
  return (
    <nav aria-label={t("label")} className="flex items-center justify-end gap-3">
      <Button variant="secondary" disabled={!props.hasPrevious || props.busy} onClick={props.onPrevious}>
        {tc("previous")}
      </Button>
      <span className="text-sm text-zinc-600 dark:text-zinc-400" aria-live="polite">
        {t("page", { page: props.page })}
      </span>
      <Button
        variant="secondary"
        disabled={!nextCursor || props.busy}
        onClick={() => nextCursor && props.onNext(nextCursor)}
      >
        {tc("next")}
      </Button>
    </nav>
  );
}
