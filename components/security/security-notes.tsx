"use client";
/**
 * What the security pages state up front: that the data plane is modelled (the rules are
 * enforced by the engine's traffic model and answered by the connectivity check, not by a
 * kernel), and the limits a group and a pod are held to, from the engine's own constants.
 */
import { useTranslations } from "next-intl";
import { Card } from "@/components/ui/panel";
import { DEFAULT_SECURITY_LIMITS, MAX_RULE_PRIORITY, MIN_RULE_PRIORITY } from "@/server/engine/network/security/limits";

export function ModelledNote() {
  const t = useTranslations("security");
  return (
    <p
      role="note"
      className="rounded-md border border-sky-200 bg-sky-50 p-3 text-sm text-sky-900 dark:border-sky-900 dark:bg-sky-950 dark:text-sky-100"
    >
      {t("modelled")}
    </p>
  );
}

export function LimitsCard() {
  const t = useTranslations("security.limits");
  const { rulesPerGroup, groupsPerPod, rulesPerPod } = DEFAULT_SECURITY_LIMITS;
  return (
    <Card title={t("title")}>
      <ul className="list-disc space-y-1 pl-5 text-sm text-zinc-700 dark:text-zinc-300">
        <li>{t("rulesPerGroup", { count: rulesPerGroup })}</li>
        <li>{t("groupsPerPod", { count: groupsPerPod })}</li>
        <li>{t("rulesPerPod", { count: rulesPerPod })}</li>
        <li>{t("priority", { min: MIN_RULE_PRIORITY, max: MAX_RULE_PRIORITY })}</li>
        <li>{t("order")}</li>
        <li>{t("defaultDeny")}</li>
      </ul>
    </Card>
  );
}
