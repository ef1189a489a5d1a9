"use client";
import { useLocale, useTranslations } from "next-intl";
import { formatQuantity, unitOf } from "@/server/billing/export";
import { parsePublicIpResource, resourceGroupOf } from "@/server/billing/resources";
import { Table, Td } from "@/components/ui/table";
import { formatMicrosPlain, formatMoney } from "./money";

export interface InvoiceLine {
  resource: string;
  deploymentName: string | null;
  quantity: bigint;
  unitPriceMicros: bigint;
  amountMinor: bigint;
}

/** Invoice lines, then the same total grouped by resource and by deployment. */
export function LinesTable({
  lines,
  currency,
  totalMinor,
}: {
  lines: InvoiceLine[];
  currency: string;
  totalMinor: bigint;
}) {
  const t = useTranslations("billing");
  const locale = useLocale();
  const money = (m: bigint) => formatMoney(locale, currency, m);
  const group = (key: (l: InvoiceLine) => string) => {
    const m = new Map<string, bigint>();
    for (const l of lines) m.set(key(l), (m.get(key(l)) ?? 0n) + l.amountMinor);
    return [...m.entries()].sort((a, b) => (a[1] < b[1] ? 1 : a[1] > b[1] ? -1 : 0));
  };
  const resourceName = (r: string) => {
    if (r === "cpu" || r === "memory") return t(`resource.${r}`);
    const ip = parsePublicIpResource(r);
    if (ip)
      return t(ip.charge === "publicip" ? "resource.publicIp" : "resource.bandwidthOf", {
        address: ip.address,
        mbps: ip.bandwidthMbps,
      });
    return t("resource.node", { type: r.slice(5) });
  };
  const groupName = (r: string) => {
    const group = resourceGroupOf(r);
    return group === "cpu" || group === "memory" ? resourceName(r) : t(`resource.${group}`);
  };
  return (
    <div className="space-y-4">
      <Table
        caption={t("lines")}
        head={[t("resourceCol"), t("deployment"), t("quantity"), t("unitPrice"), t("amount")]}
      >
        {lines.map((l, i) => (
          // biome-ignore lint/suspicious/noArrayIndexKey: an invoice's lines are fixed and never reordered; they carry no id and (resource, deployment name) may repeat.
          <tr key={i}>
            <Td>{resourceName(l.resource)}</Td>
            <Td>{l.deploymentName ?? "—"}</Td>
            <Td className="tabular-nums">
              {formatQuantity(l.resource, l.quantity)} {unitOf(l.resource)}
            </Td>
            <Td className="tabular-nums">
              {formatMicrosPlain(l.unitPriceMicros)} {currency}
            </Td>
            <Td className="text-right tabular-nums">{money(l.amountMinor)}</Td>
          </tr>
        ))}
        <tr>
          <Td className="font-semibold">{t("total")}</Td>
          <Td>{""}</Td>
          <Td>{""}</Td>
          <Td>{""}</Td>
          <Td className="text-right font-semibold tabular-nums">{money(totalMinor)}</Td>
        </tr>
      </Table>
      <div className="grid gap-4 md:grid-cols-2">
        {(
          [
            [t("byResource"), group((l) => groupName(l.resource))],
            [t("byDeployment"), group((l) => l.deploymentName ?? t("noDeployment"))],
          ] as const
        ).map(([title, rows]) => (
          <Table key={title} caption={title} head={[title, t("amount")]}>
            {rows.map(([k, v]) => (
              <tr key={k}>
                <Td>{k}</Td>
                <Td className="text-right tabular-nums">{money(v)}</Td>
              </tr>
            ))}
          </Table>
        ))}
      </div>
    </div>
  );
}
