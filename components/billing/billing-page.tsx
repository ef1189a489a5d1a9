"use client";
import { useMutation, useQuery, useQueryClient } from "@tanstack/react-query";
import Link from "next/link";
import { useFormatter, useLocale, useTranslations } from "next-intl";
import { useState, type FormEvent } from "react";
import { Button } from "@/components/ui/button";
import { TextField } from "@/components/ui/field";
import { Badge, Card, ErrorNote, Notice, PageHeader, SkeletonRows } from "@/components/ui/panel";
import { Table, Td } from "@/components/ui/table";
import { EngineMessage } from "@/components/events/event-message";
import { useTRPC, useTRPCClient } from "@/components/trpc";
import { useCurrentRole } from "@/components/console/use-current-role";
import { CostChart } from "./cost-chart";
import { downloadText } from "./download";
import { formatMoney, parseDecimal } from "./money";

export function BillingPage() {
  const t = useTranslations("billing");
  const format = useFormatter();
  const locale = useLocale();
  const trpc = useTRPC();
  const role = useCurrentRole();
  // The month so far grows with time alone: the live layer refreshes these on its heartbeat, every 15 s.
  const summary = useQuery(trpc.billing.summary.queryOptions());
  const daily = useQuery(trpc.billing.daily.queryOptions());
  const invoices = useQuery(trpc.billing.invoices.queryOptions());
  const events = useQuery(trpc.billing.events.queryOptions({ limit: 20 }));
  const s = summary.data;
  const money = (m: bigint) => formatMoney(locale, s?.currency ?? "USD", m);

  return (
    <div className="space-y-6">
      <PageHeader title={t("title")} description={t("description")} />
      {summary.error ? <ErrorNote message={summary.error.message} /> : null}
      {!s ? (
        <SkeletonRows rows={3} />
      ) : (
        <>
          {s.suspended ? (
            <Notice>{t("suspended")}</Notice>
          ) : s.growthBlocked ? (
            <Notice>{t("blocked", { since: format.dateTime(s.negativeSince ?? 0, { dateStyle: "medium" }) })}</Notice>
          ) : s.negativeSince !== null ? (
            <Notice>{t("negative", { days: Math.round(s.graceMs / 86_400_000) })}</Notice>
          ) : s.lowBalance ? (
            <Notice>{t("lowBalance")}</Notice>
          ) : null}
          <div className="grid gap-4 sm:grid-cols-2 xl:grid-cols-4">
            <Stat
              label={t("monthSoFar", {
                month: format.dateTime(s.period, { month: "long", year: "numeric", timeZone: "UTC" }),
              })}
              value={money(s.monthMinor)}
              testId="month-so-far"
            />
            <Stat label={t("forecast")} value={money(s.forecastMinor)} hint={t("forecastHint")} testId="forecast" />
            <Stat
              label={t("available")}
              value={money(s.availableMinor)}
              hint={t("availableHint", { ledger: money(s.ledgerMinor) })}
              testId="available"
            />
            <Stat
              label={t("held")}
              value={t("heldValue", { pods: s.held.pods, nodes: s.held.nodes, publicIps: s.held.publicIps })}
              hint={t("heldHint")}
            />
          </div>
          {role === "owner" || role === "admin" ? <TopUp currency={s.currency} /> : null}
        </>
      )}
      {daily.data && s ? <CostChart days={daily.data.days} currency={s.currency} /> : null}
      <Card title={t("invoices")}>
        {invoices.isPending ? (
          <SkeletonRows rows={2} />
        ) : invoices.error ? (
          <ErrorNote message={invoices.error.message} />
        ) : (
          <Table caption={t("invoices")} head={[t("period"), t("status"), t("amount"), t("actions")]}>
            {invoices.data.items.map((i) => (
              <tr key={i.id}>
                <Td>{format.dateTime(i.periodStart, { month: "long", year: "numeric", timeZone: "UTC" })}</Td>
                <Td>
                  <Badge tone={i.status === "draft" ? "warn" : "good"}>
                    {t(i.status === "draft" ? "draft" : "closed")}
                  </Badge>
                </Td>
                <Td className="tabular-nums">{formatMoney(locale, i.currency, i.totalMinor)}</Td>
                <Td>
                  <div className="flex gap-2">
                    <Link className="text-sky-700 underline dark:text-sky-400" href={`/billing/invoices/${i.id}`}>
                      {t("view")}
                    </Link>
                    <CsvButton id={i.id} />
                  </div>
                </Td>
              </tr>
            ))}
          </Table>
        )}
      </Card>
      {events.data && events.data.items.length > 0 ? (
        <Card title={t("events")}>
          <ul className="divide-y divide-zinc-200 text-sm dark:divide-zinc-800">
            {events.data.items.map((e) => (
              <li key={e.id} className="flex gap-3 py-2">
                <Badge tone={e.type === "Warning" ? "warn" : "neutral"}>{e.reason}</Badge>
                <span className="flex-1">
                  <EngineMessage text={e.message} />
                </span>
                <span className="text-xs text-zinc-500">
                  {format.dateTime(e.at, { dateStyle: "short", timeStyle: "short" })}
                </span>
              </li>
            ))}
          </ul>
        </Card>
      ) : null}
    </div>
  );
}

function Stat({ label, value, hint, testId }: { label: string; value: string; hint?: string; testId?: string }) {
  return (
    <div className="rounded-lg border border-zinc-200 bg-white p-4 shadow-sm dark:border-zinc-800 dark:bg-zinc-900">
      <div className="text-xs text-zinc-600 dark:text-zinc-400">{label}</div>
      <div className="mt-1 text-2xl font-semibold tabular-nums" data-testid={testId}>
        {value}
      </div>
      {hint ? <div className="mt-1 text-xs text-zinc-500">{hint}</div> : null}
    </div>
  );
}

export function CsvButton({ id }: { id: string }) {
  const t = useTranslations("billing");
  const client = useTRPCClient();
  const [busy, setBusy] = useState(false);
  return (
    <Button
      variant="ghost"
      disabled={busy}
      onClick={async () => {
        setBusy(true);
        try {
          const file = await client.billing.invoiceCsv.query({ id });
          downloadText(file.filename, file.csv, "text/csv");
        } finally {
          setBusy(false);
        }
      }}
    >
      {t("downloadCsv")}
    </Button>
  );
}

function TopUp({ currency }: { currency: string }) {
  const t = useTranslations("billing");
  const trpc = useTRPC();
  const queryClient = useQueryClient();
  const [amount, setAmount] = useState("50");
  const [error, setError] = useState<string | null>(null);
  const topUp = useMutation(
    trpc.billing.topUp.mutationOptions({
      onSettled: () => queryClient.invalidateQueries({ queryKey: trpc.billing.pathKey() }),
    }),
  );
  const submit = (e: FormEvent) => {
    e.preventDefault();
    const minor = parseDecimal(amount, 2);
    if (minor === null || minor < 100n) return setError(t("amountInvalid"));
    setError(null);
    topUp.mutate({ amountMinor: Number(minor) });
  };
  // A refusal of the amount (over the per-top-up limit, say) belongs at the field; anything else in the banner.
  const amountError = topUp.error?.data?.fieldErrors?.amountMinor?.[0];
  return (
    <Card title={t("topUpTitle")}>
      <form onSubmit={submit} className="flex flex-wrap items-end gap-3">
        <TextField
          label={t("topUpAmount", { currency })}
          value={amount}
          onChange={(e) => {
            setAmount(e.target.value);
            topUp.reset();
          }}
          inputMode="decimal"
          error={error ?? amountError}
        />
        <Button type="submit" disabled={topUp.isPending}>
          {t("topUp")}
        </Button>
      </form>
      <p className="mt-2 text-xs text-zinc-500">{t("topUpHint")}</p>
      <ErrorNote message={amountError ? null : topUp.error?.message} />
    </Card>
  );
}
