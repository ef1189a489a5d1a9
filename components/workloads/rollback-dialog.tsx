"use client";
import { useMutation } from "@tanstack/react-query";
import { useTranslations } from "next-intl";
import { useEffect, useRef, useState } from "react";
import { stringify } from "yaml";
import { useTRPC } from "@/components/trpc";
import { useFormatAge } from "@/components/use-format-age";
import { Button } from "@/components/ui/button";
import { SelectField } from "@/components/ui/field";
import { ErrorNote, Notice } from "@/components/ui/panel";
import type { ReplicaSetViewOut as ReplicaSet } from "@/server/workloads/view-schemas";
import { lineDiff } from "./spec";
import { imagesOf, type TemplateView } from "./revisions";
import { useChangeCauseText } from "./revisions-card";

export function RollbackDialog(props: {
  open: boolean;
  name: string;
  namespace?: string;
  paused: boolean;
  current: TemplateView;
  currentRevision: number;
  revisions: ReplicaSet[];
  now: number | null;
  onClose: () => void;
  onDone: (revision: number) => void;
}) {
  const t = useTranslations("workloads.detail");
  const tc = useTranslations("common");
  const tr = useTranslations("workloads.revisions");
  const causeText = useChangeCauseText();
  const formatAge = useFormatAge();
  const trpc = useTRPC();
  const ref = useRef<HTMLDialogElement>(null);
  const candidates = [...props.revisions].reverse().filter((r) => r.revision !== props.currentRevision);
  const [selected, setSelected] = useState<number | null>(null);
  const target = candidates.find((r) => r.revision === selected) ?? candidates[0];
  const rollback = useMutation(
    trpc.deployments.rollback.mutationOptions({
      onSuccess: (_d, v) => {
        props.onClose();
        props.onDone(v.toRevision ?? 0);
      },
    }),
  );
  useEffect(() => {
    const dialog = ref.current;
    if (!dialog) return;
    if (props.open && !dialog.open) {
      setSelected(null);
      rollback.reset();
      dialog.showModal();
    } else if (!props.open && dialog.open) dialog.close();
  }, [props.open, rollback.reset]);
  const diff = target ? lineDiff(stringify(props.current), stringify(target.template)) : [];
  return (
    <dialog
      ref={ref}
      onCancel={props.onClose}
      aria-labelledby="rollback-title"
      className="m-auto w-full max-w-3xl rounded-lg border border-zinc-200 bg-white p-6 text-zinc-900 shadow-xl backdrop:bg-black/40 dark:border-zinc-800 dark:bg-zinc-900 dark:text-zinc-100"
    >
      <h2 id="rollback-title" className="text-lg font-semibold">
        {t("rollbackTitle", { name: props.name })}
      </h2>
      {candidates.length === 0 ? (
        <p className="mt-2 text-sm">{t("noOtherRevisions")}</p>
      ) : (
        <div className="mt-3 space-y-3">
          <SelectField
            label={t("revisionPicker")}
            value={target?.revision ?? ""}
            onChange={(e) => setSelected(Number(e.target.value))}
          >
            {candidates.map((r) => (
              <option key={r.id} value={r.revision}>
                {tr("option", {
                  revision: r.revision,
                  cause: causeText(r.changeCause),
                  image: imagesOf(r.template),
                  age: props.now !== null ? formatAge(r.createdAt, props.now) : "–",
                })}
              </option>
            ))}
          </SelectField>
          {target ? (
            <p className="text-sm" data-testid="rollback-target-cause">
              {tr("targetCause", { revision: target.revision, cause: causeText(target.changeCause) })}
            </p>
          ) : null}
          <div>
            <p className="mb-1 text-sm font-medium">{t("diffTitle", { revision: target?.revision ?? 0 })}</p>
            <p className="mb-1 text-xs text-zinc-500 dark:text-zinc-400">{t("diffLegend")}</p>
            <section aria-label={t("diffTitle", { revision: target?.revision ?? 0 })}>
              <pre className="max-h-80 overflow-auto rounded-md border border-zinc-200 bg-zinc-50 p-2 font-mono text-xs dark:border-zinc-800 dark:bg-zinc-950">
                {diff.map((l, i) => (
                  <div
                    // biome-ignore lint/suspicious/noArrayIndexKey: a diff is rendered whole, in order, and its lines may repeat.
                    key={i}
                    className={
                      l.kind === "del"
                        ? "bg-red-100 text-red-900 dark:bg-red-950 dark:text-red-200"
                        : l.kind === "add"
                          ? "bg-emerald-100 text-emerald-900 dark:bg-emerald-950 dark:text-emerald-200"
                          : ""
                    }
                  >
                    {l.kind === "del" ? "- " : l.kind === "add" ? "+ " : "  "}
                    {l.text}
                  </div>
                ))}
              </pre>
            </section>
          </div>
          {props.paused ? <Notice>{t("rollbackPaused")}</Notice> : null}
          <ErrorNote message={rollback.error?.message} />
        </div>
      )}
      <div className="mt-6 flex justify-end gap-2">
        <Button variant="secondary" onClick={props.onClose}>
          {tc("cancel")}
        </Button>
        {target ? (
          <Button
            variant="danger"
            disabled={rollback.isPending}
            onClick={() =>
              rollback.mutate({ name: props.name, namespace: props.namespace, toRevision: target.revision })
            }
          >
            {t("rollbackTo", { revision: target.revision })}
          </Button>
        ) : null}
      </div>
    </dialog>
  );
}
