"use client";
import { useTranslations } from "next-intl";
import { Badge } from "@/components/ui/panel";

export function NodePhaseBadge({ phase }: { phase: "Provisioning" | "Ready" | "NotReady" }) {
  const t = useTranslations("cluster.nodePhase");
  return <Badge tone={phase === "Ready" ? "good" : phase === "NotReady" ? "bad" : "warn"}>{t(phase)}</Badge>;
}

/** Warm standby, cordoned, draining: the states that change what the scheduler does with a node. */
export function NodeFlags({ node }: { node: { warm: boolean; unschedulable: boolean; draining: boolean } }) {
  const t = useTranslations("cluster");
  return (
    <span className="inline-flex flex-wrap gap-1">
      {node.warm ? <Badge>{t("warm")}</Badge> : null}
      {node.draining ? (
        <Badge tone="warn">{t("draining")}</Badge>
      ) : node.unschedulable ? (
        <Badge tone="warn">{t("cordoned")}</Badge>
      ) : null}
    </span>
  );
}
