"use client";
import { useMutation, useQuery, useQueryClient } from "@tanstack/react-query";
import { useFormatter, useLocale, useTranslations } from "next-intl";
import { useState, type FormEvent } from "react";
import { Button } from "@/components/ui/button";
import { SelectField, TextField } from "@/components/ui/field";
import { Card, ErrorNote, PageHeader, SkeletonRows } from "@/components/ui/panel";
import { Table, Td } from "@/components/ui/table";
import { useTRPC } from "@/components/trpc";
import { formatMicrosPlain, formatMoney, parseDecimal } from "./money";

const priceKeys = [
  "cpuHourMicros",
  "memoryGibHourMicros",
  "node2c4gHourMicros",
  "node4c8gHourMicros",
  "node8c16gHourMicros",
  "publicIpHourMicros",
  "bandwidthMbpsHourMicros",
] as const;
type PriceKey = (typeof priceKeys)[number];

/** Operators: revenue by tenant and month, the price-plan editor, credit grants. */
export function AdminBilling() {
  const t = useTranslations("adminBilling");
  const format = useFormatter();
  const locale = useLocale();
  const trpc = useTRPC();
  const revenue = useQuery(trpc.billingAdmin.revenue.queryOptions({ months: 12 }));
  const plans = useQuery(trpc.billingAdmin.plans.queryOptions());
  const tenants = useQuery(trpc.admin.tenants.queryOptions({ limit: 200 }));
  return (
    <div className="space-y-6">
      <PageHeader title={t("title")} description={t("description")} />
      <Card title={t("revenue")}>
        {revenue.isPending ? (
          <SkeletonRows rows={3} />
        ) : revenue.error ? (
          <ErrorNote message={revenue.error.message} />
        ) : revenue.data.items.length === 0 ? (
          <p className="text-sm text-zinc-600">{t("noRevenue")}</p>
        ) : (
          <Table caption={t("revenue")} head={[t("month"), t("tenant"), t("total")]}>
            {revenue.data.items.map((r) => (
              <tr key={`${r.tenantId}-${r.periodStart}`}>
                <Td>{format.dateTime(r.periodStart, { month: "long", year: "numeric", timeZone: "UTC" })}</Td>
                <Td>{r.tenantName}</Td>
                <Td className="text-right tabular-nums">{formatMoney(locale, r.currency, r.totalMinor)}</Td>
              </tr>
            ))}
          </Table>
        )}
      </Card>
      <PlanEditor tenants={tenants.data?.items.map((x) => ({ id: x.id, name: x.name })) ?? []} />
      <Card title={t("versions")}>
        {plans.data ? (
          <Table
            caption={t("versions")}
            head={[t("scope"), t("effectiveFrom"), ...priceKeys.map((k) => t(`price.${k}`))]}
          >
            {[...plans.data.items].reverse().map((p) => (
              <tr key={p.id}>
                <Td>
                  {p.tenantId
                    ? (tenants.data?.items.find((x) => x.id === p.tenantId)?.name ?? p.tenantId)
                    : t("defaultPlan")}
                </Td>
                <Td>{format.dateTime(p.effectiveFrom, { dateStyle: "medium", timeStyle: "short" })}</Td>
                {priceKeys.map((k) => (
                  <Td key={k} className="tabular-nums">
                    {formatMicrosPlain(p[k])} {p.currency}
                  </Td>
                ))}
              </tr>
            ))}
          </Table>
        ) : (
          <SkeletonRows rows={2} />
        )}
        <p className="mt-2 text-xs text-zinc-500">{t("builtInNote")}</p>
      </Card>
      <Grant tenants={tenants.data?.items.map((x) => ({ id: x.id, name: x.name })) ?? []} />
    </div>
  );
}

function PlanEditor({ tenants }: { tenants: { id: string; name: string }[] }) {
  const t = useTranslations("adminBilling");
  const trpc = useTRPC();
  const queryClient = useQueryClient();
  const [scope, setScope] = useState("");
  const [prices, setPrices] = useState<Record<PriceKey, string>>({
    cpuHourMicros: "0.031",
    memoryGibHourMicros: "0.004",
    node2c4gHourMicros: "0.02",
    node4c8gHourMicros: "0.04",
    node8c16gHourMicros: "0.08",
    publicIpHourMicros: "0.005",
    bandwidthMbpsHourMicros: "0.01",
  });
  const [error, setError] = useState<string | null>(null);
  const save = useMutation(
    trpc.billingAdmin.setPlan.mutationOptions({ onSuccess: () => queryClient.invalidateQueries() }),
  );
  const submit = (e: FormEvent) => {
    e.preventDefault();
    const parsed = Object.fromEntries(priceKeys.map((k) => [k, parseDecimal(prices[k], 6)]));
    if (Object.values(parsed).some((v) => v === null)) return setError(t("priceInvalid"));
    setError(null);
    save.mutate({
      currency: "USD",
      tenantId: scope || undefined,
      ...(Object.fromEntries(priceKeys.map((k) => [k, Number(parsed[k])])) as Record<PriceKey, number>),
    });
  };
  return (
    <Card title={t("editor")}>
      <form onSubmit={submit} className="grid gap-3 md:grid-cols-3">
        <SelectField label={t("scope")} value={scope} onChange={(e) => setScope(e.target.value)}>
          <option value="">{t("defaultPlan")}</option>
          {tenants.map((x) => (
            <option key={x.id} value={x.id}>
              {x.name}
            </option>
          ))}
        </SelectField>
        {priceKeys.map((k) => (
          <TextField
            key={k}
            label={t(`price.${k}`)}
            value={prices[k]}
            inputMode="decimal"
            onChange={(e) => setPrices({ ...prices, [k]: e.target.value })}
          />
        ))}
        <div className="md:col-span-3 flex items-center gap-3">
          <Button type="submit" disabled={save.isPending}>
            {t("savePlan")}
          </Button>
          <span className="text-xs text-zinc-500">{t("editorHint")}</span>
        </div>
      </form>
      <ErrorNote message={error ?? save.error?.message} />
    </Card>
  );
}

function Grant({ tenants }: { tenants: { id: string; name: string }[] }) {
  const t = useTranslations("adminBilling");
  const trpc = useTRPC();
  const [tenantId, setTenantId] = useState("");
  const [amount, setAmount] = useState("100");
  const [note, setNote] = useState("");
  const [done, setDone] = useState(false);
  const [error, setError] = useState<string | null>(null);
  const grant = useMutation(trpc.billingAdmin.grant.mutationOptions({ onSuccess: () => setDone(true) }));
  const submit = (e: FormEvent) => {
    e.preventDefault();
    const minor = parseDecimal(amount, 2);
    if (!tenantId || minor === null || minor === 0n) return setError(t("grantInvalid"));
    setError(null);
    setDone(false);
    grant.mutate({ tenantId, amountMinor: Number(minor), note });
  };
  return (
    <Card title={t("grant")}>
      <form onSubmit={submit} className="grid gap-3 md:grid-cols-4">
        <SelectField label={t("tenant")} value={tenantId} onChange={(e) => setTenantId(e.target.value)}>
          <option value="">—</option>
          {tenants.map((x) => (
            <option key={x.id} value={x.id}>
              {x.name}
            </option>
          ))}
        </SelectField>
        <TextField label={t("amount")} value={amount} inputMode="decimal" onChange={(e) => setAmount(e.target.value)} />
        <TextField label={t("note")} value={note} maxLength={200} onChange={(e) => setNote(e.target.value)} />
        <div className="flex items-end">
          <Button type="submit" disabled={grant.isPending}>
            {t("grantButton")}
          </Button>
        </div>
      </form>
      {done ? <p className="mt-2 text-sm text-green-700">{t("granted")}</p> : null}
      <ErrorNote message={error ?? grant.error?.message} />
    </Card>
  );
}
