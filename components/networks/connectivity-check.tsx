"use client";
/**
 * The connectivity check: from one of the tenant's pods to a pod, a service or an address, or
 * from the internet to an address (typically one of the tenant's public IPs, offered with what
 * each is bound to), on a protocol and port. The answer comes from the same tables the traffic
 * model enforces: delivered (and by which path), or dropped with the exact reason (which rule of
 * which group, which blocklist entry, which policy, why there is no route), and every filter the
 * packet met. The answer is what held when it was asked; "Check" asks again.
 */
import { useQuery } from "@tanstack/react-query";
import { useTranslations } from "next-intl";
import { type FormEvent, useState } from "react";
import { minLiveRefresh } from "@/components/live/query-meta";
import { useNamespace } from "@/components/namespaces/use-namespace";
import { useTRPC } from "@/components/trpc";
import { Button } from "@/components/ui/button";
import { SelectField, TextField } from "@/components/ui/field";
import { Card, ErrorNote } from "@/components/ui/panel";
import {
  type CheckForm,
  type CheckInput,
  DEFAULT_INTERNET_HOST,
  type FormProblem,
  refusalField,
  type SourceKind,
  TARGET_KINDS,
  type TargetKind,
  toCheckInput,
  withSourceKind,
} from "./check-form";
import { CheckResult } from "./check-result";
import { usePublicIpOptions } from "./public-ip-options";

const OPTIONS_LIMIT = 200;

export function ConnectivityCheck() {
  const t = useTranslations("networks.check");
  const trpc = useTRPC();
  const { namespace } = useNamespace();
  const scope = namespace ? { namespace } : {};
  const pods = useQuery(trpc.pods.list.queryOptions({ limit: OPTIONS_LIMIT, ...scope }));
  const services = useQuery(trpc.services.list.queryOptions({ limit: OPTIONS_LIMIT, ...scope }));
  const publicIps = usePublicIpOptions(scope);
  const [form, setForm] = useState<CheckForm>({
    sourceKind: "pod",
    from: "",
    fromAddress: "",
    targetKind: "pod",
    target: "",
    protocol: "tcp",
    port: "80",
  });
  const [problems, setProblems] = useState<FormProblem[]>([]);
  const [asked, setAsked] = useState<{ input: CheckInput } | null>(null);
  const result = useQuery(
    trpc.networks.check.queryOptions(asked?.input ?? { from: { pod: "-" }, to: { address: "0.0.0.0" } }, {
      enabled: asked !== null,
      // The answer shows what held when it was asked; asking again refreshes it.
      meta: minLiveRefresh(false),
      staleTime: Number.POSITIVE_INFINITY,
      retry: false,
    }),
  );

  const podOptions = (pods.data?.items ?? []).map((p) => `${p.namespace}/${p.name}`);
  const serviceOptions = (services.data?.items ?? []).map((s) => `${s.namespace}/${s.name}`);
  // A refusal the form could not see itself (a private internet address, a port the service lacks) shows at its field.
  const refusedAt = result.error ? refusalField(result.error.data) : null;
  const problemOf = (field: FormProblem["field"]) => {
    const p = problems.find((x) => x.field === field);
    if (p) return t(`problem.${p.key}`);
    return refusedAt === field && !result.isFetching ? (result.error?.message ?? null) : null;
  };
  const set = (patch: Partial<CheckForm>) => setForm((f) => ({ ...f, ...patch }));

  const submit = (e: FormEvent) => {
    e.preventDefault();
    const r = toCheckInput(form);
    if ("problems" in r) {
      setProblems(r.problems);
      return;
    }
    setProblems([]);
    if (asked && JSON.stringify(asked.input) === JSON.stringify(r.input)) void result.refetch();
    else setAsked({ input: r.input });
  };

  return (
    <Card title={t("title")}>
      <p className="mb-4 text-sm text-zinc-600 dark:text-zinc-400">{t("intro")}</p>
      <form onSubmit={submit} noValidate className="grid gap-4 sm:grid-cols-2 lg:grid-cols-3">
        <SelectField
          label={t("source")}
          value={form.sourceKind}
          onChange={(e) => setForm((f) => withSourceKind(f, e.target.value as SourceKind))}
        >
          <option value="pod">{t("sourceKind.pod")}</option>
          <option value="internet">{t("sourceKind.internet")}</option>
        </SelectField>
        {form.sourceKind === "internet" ? (
          <TextField
            label={t("fromAddress")}
            hint={t("fromAddressHint", { address: DEFAULT_INTERNET_HOST })}
            placeholder={DEFAULT_INTERNET_HOST}
            value={form.fromAddress}
            error={problemOf("fromAddress")}
            inputMode="decimal"
            onChange={(e) => set({ fromAddress: e.target.value })}
          />
        ) : (
          <SelectField
            label={t("from")}
            value={form.from}
            error={problemOf("from")}
            onChange={(e) => set({ from: e.target.value })}
          >
            <option value="">{t("choosePod")}</option>
            {podOptions.map((o) => (
              <option key={o} value={o}>
                {o}
              </option>
            ))}
          </SelectField>
        )}
        <SelectField
          label={t("toKind")}
          value={form.targetKind}
          onChange={(e) => set({ targetKind: e.target.value as TargetKind, target: "" })}
        >
          {TARGET_KINDS[form.sourceKind].map((k) => (
            <option key={k} value={k}>
              {t(`kind.${k}`)}
            </option>
          ))}
        </SelectField>
        {form.targetKind === "address" ? (
          <TextField
            label={t("address")}
            hint={t("addressHint")}
            value={form.target}
            error={problemOf("target")}
            inputMode="decimal"
            onChange={(e) => set({ target: e.target.value })}
          />
        ) : form.targetKind === "publicIp" ? (
          <SelectField
            label={t("toPublicIp")}
            value={form.target}
            error={problemOf("target")}
            hint={publicIps.loaded && publicIps.options.length === 0 ? t("noPublicIps") : undefined}
            onChange={(e) => set({ target: e.target.value })}
          >
            <option value="">{t("choosePublicIp")}</option>
            {publicIps.options.map((o) => (
              <option key={o.address} value={o.address}>
                {o.label}
              </option>
            ))}
          </SelectField>
        ) : (
          <SelectField
            label={form.targetKind === "pod" ? t("toPod") : t("toService")}
            value={form.target}
            error={problemOf("target")}
            onChange={(e) => set({ target: e.target.value })}
          >
            <option value="">{form.targetKind === "pod" ? t("choosePod") : t("chooseService")}</option>
            {(form.targetKind === "pod" ? podOptions : serviceOptions).map((o) => (
              <option key={o} value={o}>
                {o}
              </option>
            ))}
          </SelectField>
        )}
        <SelectField
          label={t("protocol")}
          value={form.protocol}
          onChange={(e) => set({ protocol: e.target.value as CheckForm["protocol"] })}
        >
          <option value="tcp">TCP</option>
          <option value="udp">UDP</option>
          <option value="icmp">ICMP</option>
        </SelectField>
        <TextField
          label={t("port")}
          value={form.protocol === "icmp" ? "" : form.port}
          disabled={form.protocol === "icmp"}
          hint={form.protocol === "icmp" ? t("noPortForIcmp") : undefined}
          error={problemOf("port")}
          inputMode="numeric"
          onChange={(e) => set({ port: e.target.value })}
        />
        <div className="flex items-end">
          <Button type="submit" disabled={result.isFetching}>
            {result.isFetching ? t("checking") : t("run")}
          </Button>
        </div>
      </form>
      <div className="mt-4" aria-live="polite">
        {result.error && refusedAt === null ? <ErrorNote message={result.error.message} /> : null}
        {asked && result.data && !result.isFetching ? <CheckResult result={result.data} /> : null}
      </div>
    </Card>
  );
}
