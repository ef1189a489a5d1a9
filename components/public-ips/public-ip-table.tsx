"use client";
/** The Public IPs table: one row per address, its actions (members only) pinned at the right edge. */
import { useTranslations } from "next-intl";
import { Button } from "@/components/ui/button";
import { Badge } from "@/components/ui/panel";
import { Table, Td } from "@/components/ui/table";
import type { PublicIpViewOut } from "@/server/trpc/views/public-ips";
import { DdosState } from "./ddos-state";

const PHASE_TONE = { Allocated: "neutral", Bound: "good", Pending: "warn" } as const;

export function PublicIpTable(props: {
  items: readonly PublicIpViewOut[];
  showNamespace: boolean;
  canWrite: boolean;
  onBind: (ip: PublicIpViewOut) => void;
  onBandwidth: (ip: PublicIpViewOut) => void;
  onUnbind: (ip: PublicIpViewOut) => void;
  onRelease: (ip: PublicIpViewOut) => void;
}) {
  const t = useTranslations("publicIps");
  const head = [t("col.name"), t("col.address"), t("col.target"), t("col.phase"), t("col.bandwidth"), t("col.ddos")];
  return (
    <Table caption={t("title")} head={props.canWrite ? [...head, t("col.actions")] : head} actions={props.canWrite}>
      {props.items.map((ip) => {
        const nameId = `pip-${ip.uid}`;
        return (
          <tr key={ip.uid}>
            <Td>
              <span id={nameId} className="whitespace-nowrap font-mono text-xs font-medium">
                {ip.name}
              </span>
              {props.showNamespace ? <span className="block text-xs text-zinc-500">{ip.namespace}</span> : null}
            </Td>
            <Td className="font-mono text-xs">{ip.address}</Td>
            <Td className="text-xs">
              <TargetCell ip={ip} />
            </Td>
            <Td>
              <span title={ip.phase === "Pending" ? t("phaseHint.Pending") : undefined}>
                <Badge tone={PHASE_TONE[ip.phase]}>{t(`phase.${ip.phase}`)}</Badge>
              </span>
            </Td>
            <Td className="whitespace-nowrap tabular-nums">{t("bandwidthValue", { mbps: ip.bandwidthMbps })}</Td>
            <Td>
              <DdosState ddos={ip.ddos} />
            </Td>
            {props.canWrite ? (
              <Td>
                <div className="flex gap-1 whitespace-nowrap">
                  <Button variant="ghost" aria-describedby={nameId} onClick={() => props.onBind(ip)}>
                    {t("actions.bind")}
                  </Button>
                  {ip.target ? (
                    <Button variant="ghost" aria-describedby={nameId} onClick={() => props.onUnbind(ip)}>
                      {t("actions.unbind")}
                    </Button>
                  ) : null}
                  <Button variant="ghost" aria-describedby={nameId} onClick={() => props.onBandwidth(ip)}>
                    {t("actions.bandwidth")}
                  </Button>
                  <Button variant="ghost" aria-describedby={nameId} onClick={() => props.onRelease(ip)}>
                    {t("actions.release")}
                  </Button>
                </div>
              </Td>
            ) : null}
          </tr>
        );
      })}
    </Table>
  );
}

function TargetCell({ ip }: { ip: PublicIpViewOut }) {
  const t = useTranslations("publicIps.target");
  if (!ip.target) return <span className="text-zinc-500">{t("none")}</span>;
  const label = ip.target.kind === "Pod" ? t("pod", { name: ip.target.name }) : t("service", { name: ip.target.name });
  return (
    <span className="font-mono">
      {label}
      {ip.sticky ? <span className="ml-1 font-sans text-zinc-500">({t("sticky")})</span> : null}
      {ip.boundPod && ip.boundPod !== ip.target.name ? (
        <span className="block font-sans text-zinc-500">{t("follows", { pod: ip.boundPod })}</span>
      ) : null}
    </span>
  );
}
