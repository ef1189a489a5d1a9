"use client";
/**
 * Set a namespace's quota (owners and admins): cpu, memory and pods, each empty for no limit,
 * checked at the field as the person types (after the first blur or submit) with the server's
 * rules; a refusal the server ties to an input shows at that field, anything else in the
 * dialog's banner. Editing an existing quota sends the resourceVersion it was opened with, so
 * a change someone made meanwhile is refused rather than overwritten.
 */
import { useMutation } from "@tanstack/react-query";
import { useTranslations } from "next-intl";
import { useEffect, useState } from "react";
import { FormDialog } from "@/components/nodes/form-dialog";
import { useTRPC } from "@/components/trpc";
import { TextField } from "@/components/ui/field";
import {
  emptyQuotaForm,
  hardOf,
  type QuotaField,
  type QuotaForm,
  quotaFields,
  quotaFormOf,
  validateQuotaForm,
  type Hard,
} from "./quota-form";

/** What the dialog edits: a namespace, and the quota it already has (absent: a new one, named by the server). */
export interface QuotaTarget {
  namespace: string;
  quota?: { name: string; resourceVersion: string; hard: Hard };
}

type FieldErrors = Partial<Record<string, string[]>>;

const serverFieldErrors = (error: { data?: unknown } | null): FieldErrors =>
  ((error?.data as { fieldErrors?: FieldErrors } | undefined)?.fieldErrors ?? {}) as FieldErrors;

export function QuotaDialog({
  target,
  onClose,
  onSaved,
}: {
  target: QuotaTarget | null;
  onClose: () => void;
  onSaved: (namespace: string) => void;
}) {
  const t = useTranslations("resourceQuotas");
  const te = useTranslations("resourceQuotas.errors");
  const trpc = useTRPC();
  const [form, setForm] = useState<QuotaForm>(emptyQuotaForm);
  const [touched, setTouched] = useState(false);
  useEffect(() => {
    if (!target) return;
    setForm(target.quota ? quotaFormOf(target.quota.hard) : emptyQuotaForm);
    setTouched(false);
  }, [target]);
  const save = useMutation(
    trpc.resourceQuotas.set.mutationOptions({
      onSuccess: (q) => {
        onSaved(q.namespace);
        close();
      },
    }),
  );
  function close() {
    save.reset();
    onClose();
  }
  const errors = validateQuotaForm(form);
  const shown = touched ? errors : {};
  const server = serverFieldErrors(save.error);
  const fieldShowsServer = quotaFields.some((f) => server[f]?.length);
  const message = (f: QuotaField | "form") => {
    const e = shown[f];
    return e ? te(e.key, e.values) : null;
  };
  const hints: Record<QuotaField, string> = { cpu: t("cpuHint"), memory: t("memoryHint"), pods: t("podsHint") };
  return (
    <FormDialog
      open={target !== null}
      title={t("setTitle", { namespace: target?.namespace ?? "" })}
      description={t("setBody", { namespace: target?.namespace ?? "" })}
      submitLabel={t("save")}
      busy={save.isPending}
      error={message("form") ?? (save.error && !fieldShowsServer ? save.error.message : null)}
      onClose={close}
      onSubmit={() => {
        setTouched(true);
        if (Object.keys(errors).length || !target) return;
        save.mutate({
          namespace: target.namespace,
          ...(target.quota ? { name: target.quota.name, resourceVersion: target.quota.resourceVersion } : {}),
          hard: hardOf(form),
        });
      }}
    >
      <div className="grid gap-4 sm:grid-cols-3">
        {quotaFields.map((f) => (
          <TextField
            key={f}
            label={t(f)}
            value={form[f]}
            inputMode={f === "pods" ? "numeric" : undefined}
            maxLength={32}
            onChange={(e) => {
              setForm({ ...form, [f]: e.target.value });
              save.reset();
            }}
            onBlur={() => setTouched(true)}
            error={message(f) ?? server[f]?.[0]}
            hint={hints[f]}
          />
        ))}
      </div>
    </FormDialog>
  );
}
