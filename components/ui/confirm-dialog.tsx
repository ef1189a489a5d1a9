"use client";
import { useEffect, useId, useRef, useState, type ReactNode } from "react";
import { useTranslations } from "next-intl";
import { Button } from "./button";

/**
 * A modal that asks before something destructive. When `confirmText` is given, the person
 * must type it (the object's name) before the action is enabled.
 */
export function ConfirmDialog(props: {
  open: boolean;
  title: string;
  body: ReactNode;
  actionLabel: string;
  confirmText?: string;
  busy?: boolean;
  onConfirm: () => void;
  onCancel: () => void;
}) {
  const t = useTranslations("common");
  const ref = useRef<HTMLDialogElement>(null);
  const [typed, setTyped] = useState("");
  const titleId = useId();
  useEffect(() => {
    const dialog = ref.current;
    if (!dialog) return;
    if (props.open && !dialog.open) {
      setTyped("");
      dialog.showModal();
    } else if (!props.open && dialog.open) dialog.close();
  }, [props.open]);
  const ready = !props.confirmText || typed === props.confirmText;
  return (
    <dialog
      ref={ref}
      aria-labelledby={titleId}
      onCancel={props.onCancel}
      className="m-auto w-full max-w-md rounded-lg border border-zinc-200 bg-white p-6 text-zinc-900 shadow-xl backdrop:bg-black/40 dark:border-zinc-800 dark:bg-zinc-900 dark:text-zinc-100"
    >
      <h2 id={titleId} className="text-lg font-semibold">
        {props.title}
      </h2>
      <div className="mt-2 text-sm text-zinc-600 dark:text-zinc-400">{props.body}</div>
      {props.confirmText ? (
        <label className="mt-4 block text-sm">
          {t("typeToConfirm", { text: props.confirmText })}
          <input
            className="mt-1 h-9 w-full rounded-md border border-zinc-300 bg-white px-3 dark:border-zinc-700 dark:bg-zinc-950"
            value={typed}
            onChange={(e) => setTyped(e.target.value)}
            autoFocus
          />
        </label>
      ) : null}
      <div className="mt-6 flex justify-end gap-2">
        <Button variant="secondary" onClick={props.onCancel}>
          {t("cancel")}
        </Button>
        <Button variant="danger" disabled={!ready || props.busy} onClick={props.onConfirm}>
          {props.actionLabel}
        </Button>
      </div>
    </dialog>
  );
}
