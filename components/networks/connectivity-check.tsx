"use client";
/**
 * The connectivity check: from one of the tenant's pods to a pod, a service or an address, on a
 * protocol and port. The answer comes from the same tables the traffic model enforces: delivered
 * (and by which path), or dropped with the exact reason (which rule of which group, which
 * blocklist entry, which policy, why there is no route), and every filter the packet met.
 * The answer is what held when it was asked; "Check" asks again.
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
import { type CheckForm, type CheckInput, type FormProblem, type TargetKind, toCheckInput } from "./check-form";
import { CheckResult } from "./check-result";

const OPTIONS_LIMIT = 200;

export function ConnectivityCheck() {
  const t = useTranslations("networks.check");
  const trpc = useTRPC();
  const { namespace } = useNamespace();
  const scope = namespace ? { namespace } : {};
  const pods = useQuery(trpc.pods.list.queryOptions({ limit: OPTIONS_LIMIT, ...scope }));
  const services = useQuery(trpc.services.list.queryOptions({ limit: OPTIONS_LIMIT, ...scope }));
  const [form, setForm] = useState<CheckForm>({
    from: "",
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
  const problemOf = (field: FormProblem["field"]) => {
    const p = problems.find((x) => x.field === field);
    return p ? t(`problem.${p.key}`) : null;
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
        <SelectField
          label={t("toKind")}
          value={form.targetKind}
          onChange={(e) => set({ targetKind: e.target.value as TargetKind, target: "" })}
        >
          <option value="pod">{t("kind.pod")}</option>
          <option value="service">{t("kind.service")}</option>
          <option value="address">{t("kind.address")}</option>
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
        {result.error ? <ErrorNote message={result.error.message} /> : null}
        {asked && result.data && !result.isFetching ? <CheckResult result={result.data} /> : null}
      </div>
    </Card>
  );
}
