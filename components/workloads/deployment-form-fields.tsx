"use client";
/** The form mode of the deployment wizard: basics, capacity, environment, ports, rollout. */
import { useTranslations } from "next-intl";
import type { Dispatch, ReactNode, SetStateAction } from "react";
import { Button } from "@/components/ui/button";
import { SelectField, TextAreaField, TextField } from "@/components/ui/field";
import { Card } from "@/components/ui/panel";
import { DEPLOYMENT_RESTART_POLICIES, type FormState, type Protocol, type RestartPolicy } from "./spec";

export interface DeploymentFormFieldsProps {
  form: FormState;
  /** Applies a change and marks the named fields (default: the patch's keys) as touched. */
  update: (patch: Partial<FormState>, ...fields: string[]) => void;
  /** For adding and removing rows, which touch no field. */
  setForm: Dispatch<SetStateAction<FormState>>;
  /** The error to show at a field, or null. */
  shown: (field: string) => string | null;
  /** A warning to show at a field in place of its hint (accepted, but the pods could not all run), or null. */
  warning: (field: string) => string | null;
}

export function DeploymentFormFields({ form, update, setForm, shown, warning }: DeploymentFormFieldsProps) {
  const t = useTranslations("workloads.wizard");
  const hint = (field: string, text: string): ReactNode => {
    const w = warning(field);
    return w ? <WarningText>{w}</WarningText> : text;
  };
  return (
    <>
      <Card title={t("basics")}>
        <div className="grid gap-4 sm:grid-cols-2">
          <TextField
            label={t("name")}
            value={form.name}
            onChange={(e) => update({ name: e.target.value.trim() })}
            error={shown("name")}
            hint={t("nameHint")}
            autoComplete="off"
            maxLength={63}
          />
          <TextField
            label={t("image")}
            value={form.image}
            onChange={(e) => update({ image: e.target.value.trim() })}
            error={shown("image")}
            hint={t("imageHint")}
            autoComplete="off"
          />
        </div>
        <div className="mt-4">
          <TextAreaField
            label={t("command")}
            hint={t("commandHint")}
            value={form.command}
            onChange={(e) => update({ command: e.target.value })}
            rows={3}
          />
        </div>
      </Card>
      <Card title={t("capacity")}>
        <div className="grid gap-4 sm:grid-cols-3">
          <TextField
            label={t("replicas")}
            inputMode="numeric"
            value={form.replicas}
            onChange={(e) => update({ replicas: e.target.value.trim() })}
            error={shown("replicas")}
            hint={hint("replicas", t("replicasHint"))}
          />
          <TextField
            label={t("cpu")}
            value={form.cpu}
            onChange={(e) => update({ cpu: e.target.value.trim() })}
            error={shown("cpu")}
            hint={hint("cpu", t("cpuHint"))}
          />
          <TextField
            label={t("memory")}
            value={form.memory}
            onChange={(e) => update({ memory: e.target.value.trim() })}
            error={shown("memory")}
            hint={hint("memory", t("memoryHint"))}
          />
          <div className="hidden sm:block" />
          <TextField
            label={t("cpuLimit")}
            value={form.cpuLimit}
            onChange={(e) => update({ cpuLimit: e.target.value.trim() })}
            error={shown("cpuLimit")}
            hint={t("limitHint")}
          />
          <TextField
            label={t("memoryLimit")}
            value={form.memoryLimit}
            onChange={(e) => update({ memoryLimit: e.target.value.trim() })}
            error={shown("memoryLimit")}
            hint={t("limitHint")}
          />
        </div>
      </Card>
      <Card title={t("env")}>
        <RowList
          rows={form.env}
          columns="sm:grid-cols-[1fr_1fr_auto]"
          empty={t("envEmpty")}
          addLabel={t("envAdd")}
          onAdd={() => setForm((f) => ({ ...f, env: [...f.env, { name: "", value: "" }] }))}
          removeLabel={(i) => t("envRemove", { n: i + 1 })}
          removeText={t("remove")}
          onRemove={(i) => setForm((f) => ({ ...f, env: f.env.filter((_, j) => j !== i) }))}
          row={(v, i) => (
            <>
              <TextField
                label={t("envName", { n: i + 1 })}
                value={v.name}
                onChange={(e) => update({ env: replaceAt(form.env, i, { name: e.target.value }) }, `env.${i}.name`)}
                error={shown(`env.${i}.name`)}
              />
              <TextField
                label={t("envValue", { n: i + 1 })}
                value={v.value}
                onChange={(e) => update({ env: replaceAt(form.env, i, { value: e.target.value }) }, `env.${i}.value`)}
              />
            </>
          )}
        />
      </Card>
      <Card title={t("ports")}>
        <RowList
          rows={form.ports}
          columns="sm:grid-cols-[1fr_10rem_auto]"
          empty={t("portsEmpty")}
          addLabel={t("portAdd")}
          onAdd={() => setForm((f) => ({ ...f, ports: [...f.ports, { containerPort: "80", protocol: "TCP" }] }))}
          removeLabel={(i) => t("portRemove", { n: i + 1 })}
          removeText={t("remove")}
          onRemove={(i) => setForm((f) => ({ ...f, ports: f.ports.filter((_, j) => j !== i) }))}
          row={(p, i) => (
            <>
              <TextField
                label={t("containerPort", { n: i + 1 })}
                inputMode="numeric"
                value={p.containerPort}
                onChange={(e) =>
                  update(
                    { ports: replaceAt(form.ports, i, { containerPort: e.target.value.trim() }) },
                    `ports.${i}.containerPort`,
                  )
                }
                error={shown(`ports.${i}.containerPort`)}
              />
              <SelectField
                label={t("protocol", { n: i + 1 })}
                value={p.protocol}
                onChange={(e) =>
                  update(
                    { ports: replaceAt(form.ports, i, { protocol: e.target.value as Protocol }) },
                    `ports.${i}.protocol`,
                  )
                }
              >
                <option value="TCP">TCP</option>
                <option value="UDP">UDP</option>
              </SelectField>
            </>
          )}
        />
      </Card>
      <Card title={t("rollout")}>
        <div className="grid gap-4 sm:grid-cols-3">
          {/* Only what a Deployment accepts; a refused value from the YAML tab stays visible (disabled) beside its error. */}
          <SelectField
            label={t("restartPolicy")}
            value={form.restartPolicy}
            onChange={(e) => update({ restartPolicy: e.target.value as RestartPolicy })}
            error={shown("restartPolicy")}
            hint={t("restartPolicyHint")}
          >
            {DEPLOYMENT_RESTART_POLICIES.map((p) => (
              <option key={p} value={p}>
                {p}
              </option>
            ))}
            {DEPLOYMENT_RESTART_POLICIES.includes(form.restartPolicy) ? null : (
              <option value={form.restartPolicy} disabled>
                {form.restartPolicy}
              </option>
            )}
          </SelectField>
          <TextField
            label={t("maxSurge")}
            value={form.maxSurge}
            onChange={(e) => update({ maxSurge: e.target.value.trim() })}
            error={shown("maxSurge")}
            hint={t("maxSurgeHint")}
          />
          <TextField
            label={t("maxUnavailable")}
            value={form.maxUnavailable}
            onChange={(e) => update({ maxUnavailable: e.target.value.trim() })}
            error={shown("maxUnavailable")}
            hint={t("maxUnavailableHint")}
          />
        </div>
      </Card>
    </>
  );
}

/** A field's warning, where its hint would be (and so announced with it). */
function WarningText({ children }: { children: ReactNode }) {
  return <span className="font-medium text-amber-700 dark:text-amber-400">{children}</span>;
}

/** The list with `patch` applied to its `i`-th item. */
function replaceAt<T>(list: T[], i: number, patch: Partial<T>): T[] {
  return list.map((x, j) => (j === i ? { ...x, ...patch } : x));
}

/** Rows of fields with a remove button each, an empty state and an add button (env vars, ports). */
function RowList<T>(props: {
  rows: T[];
  /** Grid columns of a row: its fields, then the remove button. */
  columns: string;
  empty: string;
  addLabel: string;
  onAdd: () => void;
  removeLabel: (i: number) => string;
  removeText: string;
  onRemove: (i: number) => void;
  row: (item: T, i: number) => ReactNode;
}) {
  return (
    <div className="space-y-2">
      {props.rows.length === 0 ? <p className="text-sm text-zinc-600 dark:text-zinc-400">{props.empty}</p> : null}
      {props.rows.map((item, i) => (
        // biome-ignore lint/suspicious/noArrayIndexKey: rows have no identity of their own; every field is controlled by its row's value.
        <div key={i} className={`grid items-start gap-2 ${props.columns}`}>
          {props.row(item, i)}
          <Button
            variant="ghost"
            className="sm:mt-6"
            aria-label={props.removeLabel(i)}
            onClick={() => props.onRemove(i)}
          >
            {props.removeText}
          </Button>
        </div>
      ))}
      <Button variant="secondary" onClick={props.onAdd}>
        {props.addLabel}
      </Button>
    </div>
  );
}
