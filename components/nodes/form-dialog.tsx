"use client";
import { useEffect, useRef, type FormEvent, type ReactNode } from "react";
import { useTranslations } from "next-intl";
import { Button } from "@/components/ui/button";
import { ErrorNote } from "@/components/ui/panel";

/** A modal form (native <dialog>: focus is trapped, Escape closes) with the server's error shown inside it. */
export function FormDialog(props: {
  open: boolean;
  title: string;
  description?: ReactNode;
  children: ReactNode;
  submitLabel: string;
  busy?: boolean;
  submitDisabled?: boolean;
  error?: string | null;
  onSubmit: () => void;
  onClose: () => void;
}) {
  const t = useTranslations("common");
  const ref = useRef<HTMLDialogElement>(null);
  useEffect(() => {
    const dialog = ref.current;
    if (!dialog) return;
    if (props.open && !dialog.open) dialog.showModal();
    else if (!props.open && dialog.open) dialog.close();
  }, [props.open]);
  return (
    <dialog
      ref={ref}
      aria-label={props.title}
      onCancel={(e) => {
        e.preventDefault();
        props.onClose();
      }}
      className="m-auto w-full max-w-lg rounded-lg border border-zinc-200 bg-white p-6 text-zinc-900 shadow-xl backdrop:bg-black/40 dark:border-zinc-800 dark:bg-zinc-900 dark:text-zinc-100"
    >
      {props.open ? (
        <form
          noValidate
          onSubmit={(e: FormEvent) => {
            e.preventDefault();
            props.onSubmit();
          }}
        >
          <h2 className="text-lg font-semibold">{props.title}</h2>
          {props.description ? (
            <div className="mt-1 text-sm text-zinc-600 dark:text-zinc-400">{props.description}</div>
          ) : null}
          <div className="mt-4 space-y-4">{props.children}</div>
          <div className="mt-4">
            <ErrorNote message={props.error} />
          </div>
          <div className="mt-6 flex justify-end gap-2">
            <Button variant="secondary" onClick={props.onClose}>
              {t("cancel")}
            </Button>
            <Button type="submit" disabled={props.busy || props.submitDisabled}>
              {props.submitLabel}
            </Button>
          </div>
        </form>
      ) : null}
    </dialog>
  );
}
