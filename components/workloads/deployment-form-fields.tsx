"use client";
/** The form mode of the deployment wizard: basics, capacity, environment, ports, rollout. */
import { useTranslations } from "next-intl";
import type { Dispatch, SetStateAction } from "react";
import { Button } from "@/components/ui/button";
import { SelectField, TextAreaField, TextField } from "@/components/ui/field";
import { Card } from "@/components/ui/panel";
import type { FormState, Protocol, RestartPolicy } from "./spec";

export interface DeploymentFormFieldsProps {
  form: FormState;
  /** Applies a change and marks the named fields (default: the patch's keys) as touched. */
  update: (patch: Partial<FormState>, ...fields: string[]) => void;
  /** For adding and removing rows, which touch no field. */
  setForm: Dispatch<SetStateAction<FormState>>;
  /** The error to show at a field, or null. */
  shown: (field: string) => string | null;
}

export function DeploymentFormFields({ form, update, setForm, shown }: DeploymentFormFieldsProps) {
  const t = useTranslations("workloads.wizard");
  return (
    <>
      <Card title={t("basics")}>
        <div className="grid gap-4 sm:grid-cols-2">
          <TextField label={t("name")} value={form.name} onChange={(e) => update({ name: e.target.value.trim() })} error={shown("name")} hint={t("nameHint")} autoComplete="off" maxLength={63} />
          <TextField label={t("image")} value={form.image} onChange={(e) => update({ image: e.target.value.trim() })} error={shown("image")} hint={t("imageHint")} autoComplete="off" />
        </div>
        <div className="mt-4">
          <TextAreaField label={t("command")} hint={t("commandHint")} value={form.command} onChange={(e) => update({ command: e.target.value })} rows={3} />
        </div>
      </Card>
      <Card title={t("capacity")}>
        <div className="grid gap-4 sm:grid-cols-3">
          <TextField label={t("replicas")} inputMode="numeric" value={form.replicas} onChange={(e) => update({ replicas: e.target.value.trim() })} error={shown("replicas")} hint={t("replicasHint")} />
          <TextField label={t("cpu")} value={form.cpu} onChange={(e) => update({ cpu: e.target.value.trim() })} error={shown("cpu")} hint={t("cpuHint")} />
          <TextField label={t("memory")} value={form.memory} onChange={(e) => update({ memory: e.target.value.trim() })} error={shown("memory")} hint={t("memoryHint")} />
          <div className="hidden sm:block" />
          <TextField label={t("cpuLimit")} value={form.cpuLimit} onChange={(e) => update({ cpuLimit: e.target.value.trim() })} error={shown("cpuLimit")} hint={t("limitHint")} />
          <TextField label={t("memoryLimit")} value={form.memoryLimit} onChange={(e) => update({ memoryLimit: e.target.value.trim() })} error={shown("memoryLimit")} hint={t("limitHint")} />
        </div>
      </Card>
      <Card title={t("env")}>
        <div className="space-y-2">
          {form.env.length === 0 ? <p className="text-sm text-zinc-600 dark:text-zinc-400">{t("envEmpty")}</p> : null}
          {form.env.map((v, i) => (
            <div key={i} className="grid items-start gap-2 sm:grid-cols-[1fr_1fr_auto]">
              <TextField
                label={t("envName", { n: i + 1 })}
                value={v.name}
                onChange={(e) => update({ env: form.env.map((x, j) => (j === i ? { ...x, name: e.target.value } : x)) }, `env.${i}.name`)}
                error={shown(`env.${i}.name`)}
              />
              <TextField label={t("envValue", { n: i + 1 })} value={v.value} onChange={(e) => update({ env: form.env.map((x, j) => (j === i ? { ...x, value: e.target.value } : x)) }, `env.${i}.value`)} />
              <Button variant="ghost" className="sm:mt-6" aria-label={t("envRemove", { n: i + 1 })} onClick={() => setForm((f) => ({ ...f, env: f.env.filter((_, j) => j !== i) }))}>
                {t("remove")}
              </Button>
            </div>
          ))}
          <Button variant="secondary" onClick={() => setForm((f) => ({ ...f, env: [...f.env, { name: "", value: "" }] }))}>
            {t("envAdd")}
          </Button>
        </div>
      </Card>
      <Card title={t("ports")}>
        <div className="space-y-2">
          {form.ports.length === 0 ? <p className="text-sm text-zinc-600 dark:text-zinc-400">{t("portsEmpty")}</p> : null}
          {form.ports.map((p, i) => (
            <div key={i} className="grid items-start gap-2 sm:grid-cols-[1fr_10rem_auto]">
              <TextField
                label={t("containerPort", { n: i + 1 })}
                inputMode="numeric"
                value={p.containerPort}
                onChange={(e) => update({ ports: form.ports.map((x, j) => (j === i ? { ...x, containerPort: e.target.value.trim() } : x)) }, `ports.${i}.containerPort`)}
                error={shown(`ports.${i}.containerPort`)}
              />
              <SelectField label={t("protocol", { n: i + 1 })} value={p.protocol} onChange={(e) => update({ ports: form.ports.map((x, j) => (j === i ? { ...x, protocol: e.target.value as Protocol } : x)) }, `ports.${i}.protocol`)}>
                <option value="TCP">TCP</option>
                <option value="UDP">UDP</option>
              </SelectField>
              <Button variant="ghost" className="sm:mt-6" aria-label={t("portRemove", { n: i + 1 })} onClick={() => setForm((f) => ({ ...f, ports: f.ports.filter((_, j) => j !== i) }))}>
                {t("remove")}
              </Button>
            </div>
          ))}
          <Button variant="secondary" onClick={() => setForm((f) => ({ ...f, ports: [...f.ports, { containerPort: "80", protocol: "TCP" }] }))}>
            {t("portAdd")}
          </Button>
        </div>
      </Card>
      <Card title={t("rollout")}>
        <div className="grid gap-4 sm:grid-cols-3">
          <SelectField label={t("restartPolicy")} value={form.restartPolicy} onChange={(e) => update({ restartPolicy: e.target.value as RestartPolicy })} error={shown("restartPolicy")} hint={t("restartPolicyHint")}>
            <option value="Always">Always</option>
            <option value="OnFailure">OnFailure</option>
            <option value="Never">Never</option>
          </SelectField>
          <TextField label={t("maxSurge")} value={form.maxSurge} onChange={(e) => update({ maxSurge: e.target.value.trim() })} error={shown("maxSurge")} hint={t("maxSurgeHint")} />
          <TextField label={t("maxUnavailable")} value={form.maxUnavailable} onChange={(e) => update({ maxUnavailable: e.target.value.trim() })} error={shown("maxUnavailable")} hint={t("maxUnavailableHint")} />
        </div>
      </Card>
    </>
  );
}
