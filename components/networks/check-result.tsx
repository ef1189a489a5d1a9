"use client";
/**
 * A connectivity check's answer: the verdict, the reason in the engine's exact words (which
 * rule of which group, which blocklist entry, why there is no route) under a label in the
 * reader's language, the two ends with their addresses, and the trace of every filter.
 */
import { useTranslations } from "next-intl";
import { Badge } from "@/components/ui/panel";
import { Table, Td } from "@/components/ui/table";
import type { ConnectivityResultViewOut } from "@/server/trpc/views/networks";

const outcomeTone = { passed: "good", dropped: "bad", "not-applicable": "neutral" } as const;

export function CheckResult({ result }: { result: ConnectivityResultViewOut }) {
  const t = useTranslations("networks.check");
  const delivered = result.verdict === "delivered";
  const dst = result.destination;
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
          {result.source.namespace}/{result.source.pod} ({result.source.ip}) → {target} ({dst.ip})
        </span>
        {delivered && result.path ? <span className="text-xs text-zinc-500">{t(`path.${result.path}`)}</span> : null}
      </div>
      {!delivered && result.reason ? (
        <div className="rounded-md border border-red-200 bg-red-50 p-3 text-sm dark:border-red-900 dark:bg-red-950">
          <p className="font-medium">{t(`reason.${result.reason.code}`)}</p>
          {result.message ? <p className="mt-1 font-mono text-xs">{result.message}</p> : null}
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
