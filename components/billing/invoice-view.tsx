"use client";
import { useQuery } from "@tanstack/react-query";
import Link from "next/link";
import { useFormatter, useTranslations } from "next-intl";
import { Button } from "@/components/ui/button";
import { Badge, ErrorNote, PageHeader, SkeletonRows } from "@/components/ui/panel";
import { useTRPC } from "@/components/trpc";
import { CsvButton } from "./billing-page";
import { LinesTable } from "./lines-table";

/** One invoice (or the running draft), laid out to print cleanly. */
export function InvoiceView({ id }: { id: string }) {
  const t = useTranslations("billing");
  const format = useFormatter();
  const trpc = useTRPC();
  const invoice = useQuery(trpc.billing.invoice.queryOptions({ id }));
  const me = useQuery(trpc.session.me.queryOptions());
  if (invoice.error) return <ErrorNote message={invoice.error.message} />;
  if (!invoice.data) return <SkeletonRows rows={4} />;
  const inv = invoice.data;
  const month = format.dateTime(inv.periodStart, { month: "long", year: "numeric", timeZone: "UTC" });
  return (
    <article className="space-y-6 print:text-black">
      <div className="flex gap-3 print:hidden">
        <Link className="text-sky-700 underline dark:text-sky-400" href="/billing">
          {t("back")}
        </Link>
        <Button variant="ghost" onClick={() => window.print()}>
          {t("print")}
        </Button>
        <CsvButton id={inv.id} />
      </div>
      <PageHeader
        title={t("invoiceTitle", { month })}
        description={
          <span className="flex flex-wrap items-center gap-2">
            <Badge tone={inv.status === "draft" ? "warn" : "good"}>
              {t(inv.status === "draft" ? "draft" : "closed")}
            </Badge>
            <span>{me.data?.current?.tenantName}</span>
            <span>
              {format.dateTime(inv.periodStart, { dateStyle: "medium", timeZone: "UTC" })} –{" "}
              {format.dateTime(inv.periodEnd - 1, { dateStyle: "medium", timeZone: "UTC" })} (UTC)
            </span>
            {inv.status === "closed" ? <span className="font-mono text-xs">{inv.id}</span> : null}
          </span>
        }
      />
      {inv.status === "draft" ? <p className="text-sm text-zinc-600 dark:text-zinc-400">{t("draftNote")}</p> : null}
      <LinesTable lines={inv.lines} currency={inv.currency} totalMinor={inv.totalMinor} />
      <p className="text-xs text-zinc-500">{t("roundingNote")}</p>
    </article>
  );
}
