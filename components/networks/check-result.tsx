"use client";
/**
 * A connectivity check's answer: the verdict, the reason (which rule of which group, which
 * blocklist entry, why there is no route) in the reader's language under its label, the two ends
 * with their addresses (a source on the internet said so), and the trace of every filter.
 */
import { useTranslations } from "next-intl";
import { useFormatInstant } from "@/components/public-ips/ddos-state";
import { Badge } from "@/components/ui/panel";
import { Table, Td } from "@/components/ui/table";
import type { ConnectivityResultViewOut } from "@/server/trpc/views/networks";
import { reasonText } from "./reason-text";

const outcomeTone = { passed: "good", dropped: "bad", "not-applicable": "neutral" } as const;

export function CheckResult({ result }: { result: ConnectivityResultViewOut }) {
  const t = useTranslations("networks.check");
  const instant = useFormatInstant();
  const delivered = result.verdict === "delivered";
  const dst = result.destination;
  const src = result.source;
  const source = src.internet ? t("fromInternet", { ip: src.ip }) : `${src.namespace}/${src.pod} (${src.ip})`;
  const target = dst.service
    ? `svc/${dst.service}${dst.pod ? ` → ${dst.namespace}/${dst.pod}` : ""}`
    : dst.pod
      ? `${dst.namespace}/${dst.pod}`
      : dst.ip;
  return (
    <div className="space-y-3" data-testid="check-result">
      <div className="flex flex-wrap items-center gap-3">
        <Badge tone={delivered ? "good" : "bad"}>{delivered ? t("delivered") : t("dropped")}</Badge>
        <span className="font-mono text-xs">
          {source} → {target}
          {target === dst.ip ? "" : ` (${dst.ip})`}
        </span>
        {delivered && result.path ? <span className="text-xs text-zinc-500">{t(`path.${result.path}`)}</span> : null}
      </div>
      {!delivered && result.reason ? (
        <div className="rounded-md border border-red-200 bg-red-50 p-3 text-sm dark:border-red-900 dark:bg-red-950">
          <p className="font-medium">{t(`reason.${result.reason.code}`)}</p>
          <p className="mt-1" data-testid="check-reason">
            {reasonText(t, result.reason, result.message, instant)}
          </p>
        </div>
      ) : null}
      <Table caption={t("trace")} head={[t("col.stage"), t("col.outcome"), t("col.detail")]}>
        {result.trace.map((step) => (
          <tr key={step.stage}>
            <Td className="whitespace-nowrap text-xs">{t(`stage.${step.stage}`)}</Td>
            <Td>
              <Badge tone={outcomeTone[step.outcome]}>{t(`outcome.${step.outcome}`)}</Badge>
            </Td>
            <Td className="font-mono text-xs">{step.detail}</Td>
          </tr>
        ))}
      </Table>
    </div>
  );
}
