"use client";
import { useQuery, useQueryClient } from "@tanstack/react-query";
import Link from "next/link";
import { useRouter } from "next/navigation";
import { useTranslations } from "next-intl";
import { useId, useState, useTransition } from "react";
import { createDeploymentAction, type CreateDeploymentForm } from "@/server/actions/deployments";
import { useCanWrite, useCurrentRole } from "@/components/console/use-current-role";
import { useTRPC } from "@/components/trpc";
import { Button } from "@/components/ui/button";
import { TextAreaField } from "@/components/ui/field";
import { Card, ErrorNote, Notice, PageHeader } from "@/components/ui/panel";
import {
  cpuMillis,
  memBytes,
  defaultForm,
  formToObject,
  objectToForm,
  objectToText,
  validateForm,
  type DeploymentObject,
  type FieldError,
  type FormErrors,
  type FormState,
  type TextFormat,
} from "./spec";
import { parseText, type ParseResult } from "./parse-text";
import { placeServerError } from "./server-field";
import { checkCapacity } from "./capacity-check";
import { linkClass } from "./common";
import { DeploymentFormFields } from "./deployment-form-fields";

type Mode = "form" | "text";

export function DeploymentWizard() {
  const t = useTranslations("workloads.wizard");
  const te = useTranslations("workloads.wizard.errors");
  const role = useCurrentRole();
  const canWrite = useCanWrite();
  const router = useRouter();
  const trpc = useTRPC();
  const queryClient = useQueryClient();
  const [mode, setMode] = useState<Mode>("form");
  const [format, setFormat] = useState<TextFormat>("yaml");
  const [base, setBase] = useState<DeploymentObject | null>(null);
  const [form, setForm] = useState<FormState>(defaultForm);
  const [text, setText] = useState("");
  const [parseError, setParseError] = useState<Extract<ParseResult, { ok: false }> | null>(null);
  const [touched, setTouched] = useState<Set<string>>(new Set());
  const [submitted, setSubmitted] = useState(false);
  const [serverError, setServerError] = useState<{ field: string | null; message: string } | null>(null);
  const [pending, startTransition] = useTransition();
  const [created, setCreated] = useState(false);
  const tabsId = useId();

  // What the server would refuse anyway, said at the field before submitting: a taken name, a quota that cannot fit;
  // and what it would accept but never place: a pod no pool's machines can hold, more pods than the pools can.
  const existing = useQuery(
    trpc.deployments.list.queryOptions({ limit: 500 }, { enabled: canWrite, staleTime: 5_000 }),
  );
  const quota = useQuery(trpc.quota.get.queryOptions(undefined, { enabled: canWrite, staleTime: 5_000 }));
  const pools = useQuery(trpc.nodePools.list.queryOptions({ limit: 500 }, { enabled: canWrite, staleTime: 5_000 }));
  const errors = validateForm(form);
  if (!errors.name && !created && existing.data?.items.some((d) => d.name === form.name))
    errors.name = { key: "nameTaken", values: { name: form.name } };
  let warnings: FormErrors = {};
  if (!errors.replicas && !errors.cpu && !errors.memory) {
    const pod = {
      cpuMillis: cpuMillis(form.cpu) ?? 0,
      memoryBytes: memBytes(form.memory) ?? 0,
      replicas: Number(form.replicas),
    };
    const found = checkCapacity(pod, pools.data?.items, quota.data);
    Object.assign(errors, found.errors);
    warnings = found.warnings;
  }
  const shown = (field: string): string | null => {
    if (serverError?.field === field) return serverError.message;
    const e = errors[field];
    if (!e || (!submitted && !touched.has(field))) return null;
    return te(e.key, e.values);
  };
  // Said as soon as the value is there: it is about the tenant's pools, not about how it was typed.
  const warning = (field: string): string | null => {
    const w = warnings[field];
    return w && !shown(field) ? te(w.key, w.values) : null;
  };
  const update = (patch: Partial<FormState>, ...fields: string[]) => {
    setForm((f) => ({ ...f, ...patch }));
    setTouched((s) => new Set([...s, ...(fields.length ? fields : Object.keys(patch))]));
    if (serverError && (serverError.field === null || fields.concat(Object.keys(patch)).includes(serverError.field)))
      setServerError(null);
  };

  const parseMessage = (p: Extract<ParseResult, { ok: false }>) => {
    if (p.problem.key === "notAnObject") return te("notAnObject");
    const message = te(p.problem.key, p.problem.values);
    return p.line !== null ? te("parseLine", { line: p.line, message }) : te("parse", { message });
  };

  const toText = (fmt: TextFormat) => {
    const obj = formToObject(form, base);
    setBase(obj);
    setText(objectToText(obj, fmt));
    setParseError(null);
  };
  /** Text → object, or null with the error shown. */
  const fromText = (): DeploymentObject | null => {
    const r = parseText(text, format);
    if (!r.ok) {
      setParseError(r);
      return null;
    }
    setParseError(null);
    setBase(r.object);
    setForm(objectToForm(r.object));
    return r.object;
  };

  const switchMode = (next: Mode) => {
    if (next === mode) return;
    if (next === "text") {
      toText(format);
      setMode("text");
    } else if (fromText()) setMode("form");
  };
  const switchFormat = (next: TextFormat) => {
    if (next === format) return;
    const r = parseText(text, format);
    if (!r.ok) {
      setParseError(r);
      return;
    }
    setBase(r.object);
    setText(objectToText(r.object, next));
    setFormat(next);
    setParseError(null);
  };

  const submit = () => {
    setSubmitted(true);
    setServerError(null);
    let obj: DeploymentObject;
    let current = form;
    if (mode === "text") {
      const r = parseText(text, format);
      if (!r.ok) {
        setParseError(r);
        return;
      }
      obj = r.object;
      current = objectToForm(obj);
      setBase(obj);
      setForm(current);
    } else obj = formToObject(form, base);
    const problems = validateForm(current);
    if (Object.keys(problems).length > 0) {
      if (mode === "text") {
        const [field, e] = Object.entries(problems)[0] as [string, FieldError];
        setServerError({ field: null, message: `${t(`fieldName.${field.split(".")[0]}`)}: ${te(e.key, e.values)}` });
      }
      return;
    }
    startTransition(async () => {
      const result = await createDeploymentAction(obj as unknown as CreateDeploymentForm);
      if (result.ok) {
        setCreated(true);
        await queryClient.invalidateQueries({ queryKey: trpc.deployments.list.queryKey() });
        router.push(`/workloads/${encodeURIComponent(result.data.name)}`);
        return;
      }
      // At the field the server names (the text tab has no fields: there, in the banner).
      const placed = mode === "form" ? placeServerError(result) : { field: null, message: result.error };
      setServerError({
        field: placed.field,
        message: result.reason === "QUOTA_EXCEEDED" ? t("quotaHint", { message: placed.message }) : placed.message,
      });
    });
  };

  if (role !== null && !canWrite) {
    return (
      <div className="space-y-4">
        <PageHeader title={t("title")} />
        <Notice>{t("viewerOnly")}</Notice>
        <Link href="/workloads" className={linkClass}>
          {t("back")}
        </Link>
      </div>
    );
  }

  const tab = (m: Mode, label: string) => (
    <button
      type="button"
      role="tab"
      id={`${tabsId}-${m}`}
      aria-selected={mode === m}
      aria-controls={`${tabsId}-panel`}
      onClick={() => switchMode(m)}
      className={`h-9 rounded-t-md border-b-2 px-4 text-sm font-medium ${mode === m ? "border-sky-600 text-sky-700 dark:text-sky-400" : "border-transparent text-zinc-600 hover:text-zinc-900 dark:text-zinc-400 dark:hover:text-zinc-100"}`}
    >
      {label}
    </button>
  );

  const globalError = serverError && serverError.field === null ? serverError.message : null;

  return (
    <div className="space-y-4">
      <PageHeader title={t("title")} description={t("description")} />
      <div
        role="tablist"
        aria-label={t("editorTabs")}
        className="flex gap-1 border-b border-zinc-200 dark:border-zinc-800"
      >
        {tab("form", t("formTab"))}
        {tab("text", t("textTab"))}
      </div>
      <form
        id={`${tabsId}-panel`}
        role="tabpanel"
        aria-labelledby={`${tabsId}-${mode}`}
        noValidate
        className="space-y-4"
        onSubmit={(e) => {
          e.preventDefault();
          submit();
        }}
      >
        {mode === "form" ? (
          <DeploymentFormFields form={form} update={update} setForm={setForm} shown={shown} warning={warning} />
        ) : (
          <Card>
            <fieldset className="mb-3 flex items-center gap-4 text-sm">
              <legend className="sr-only">{t("format")}</legend>
              {(["yaml", "json"] as const).map((f) => (
                <label key={f} className="flex items-center gap-1">
                  <input type="radio" name="format" checked={format === f} onChange={() => switchFormat(f)} />
                  {f.toUpperCase()}
                </label>
              ))}
            </fieldset>
            <TextAreaField
              label={format === "yaml" ? t("yamlLabel") : t("jsonLabel")}
              value={text}
              onChange={(e) => {
                const v = e.target.value;
                setText(v);
                const r = parseText(v, format);
                setParseError(r.ok ? null : r);
                if (serverError) setServerError(null);
              }}
              rows={24}
              mono
              error={parseError ? parseMessage(parseError) : null}
            />
          </Card>
        )}
        <ErrorNote message={globalError} />
        <div className="flex items-center gap-2">
          <Button type="submit" disabled={pending}>
            {pending ? t("creating") : t("submit")}
          </Button>
          <Link
            href="/workloads"
            className="inline-flex h-9 items-center rounded-md px-3 text-sm font-medium text-zinc-700 hover:bg-zinc-100 dark:text-zinc-300 dark:hover:bg-zinc-800"
          >
            {t("cancel")}
          </Link>
          {submitted && mode === "form" && Object.keys(errors).length > 0 ? (
            <span className="text-sm text-red-600 dark:text-red-400">
              {t("fixFields", { count: Object.keys(errors).length })}
            </span>
          ) : null}
        </div>
      </form>
    </div>
  );
}
