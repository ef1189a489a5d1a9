"use client";
/**
 * A namespace's quota in its row of the Namespaces page: each limited resource as used of hard
 * (marked when use has reached the limit), or the empty state, since a namespace without a
 * quota is limited by the tenant's quota alone. Owners and admins get its buttons (set, edit,
 * remove); everyone else reads it.
 */
import { useTranslations } from "next-intl";
import { Button } from "@/components/ui/button";
import { Badge } from "@/components/ui/panel";
import type { ResourceQuotaViewOut as ResourceQuotaRow } from "@/server/trpc/views/resource-quotas";
import { quotaUsage } from "./quota-form";

export function NamespaceQuota({
  quotas,
  canManage,
  describedBy,
  onSet,
  onEdit,
  onRemove,
}: {
  quotas: ResourceQuotaRow[];
  canManage: boolean;
  /** The id of the namespace's name, so that each button is announced with it. */
  describedBy: string;
  onSet: () => void;
  onEdit: (q: ResourceQuotaRow) => void;
  onRemove: (q: ResourceQuotaRow) => void;
}) {
  const t = useTranslations("resourceQuotas");
  if (quotas.length === 0)
    return (
      <div className="flex flex-wrap items-center gap-2">
        <span className="text-zinc-500 dark:text-zinc-400">{t("none")}</span>
        {canManage ? (
          <Button variant="ghost" aria-describedby={describedBy} onClick={onSet}>
            {t("set")}
          </Button>
        ) : null}
      </div>
    );
  return (
    <div className="space-y-2">
      {quotas.map((q) => (
        <div key={q.uid} className="flex flex-wrap items-center gap-x-3 gap-y-1">
          {quotas.length > 1 ? <span className="font-mono text-xs">{q.name}</span> : null}
          <ul className="space-y-0.5" aria-label={t("column")}>
            {quotaUsage(q.hard, q.used).map((r) => (
              <li key={r.resource} className="whitespace-nowrap">
                {t("usage", { resource: t(r.resource), used: r.used, hard: r.hard })}{" "}
                {r.full ? <Badge tone="warn">{t("atLimit")}</Badge> : null}
              </li>
            ))}
          </ul>
          {canManage ? (
            <span className="flex gap-1">
              <Button variant="ghost" aria-describedby={describedBy} onClick={() => onEdit(q)}>
                {t("edit")}
              </Button>
              <Button variant="ghost" aria-describedby={describedBy} onClick={() => onRemove(q)}>
                {t("remove")}
              </Button>
            </span>
          ) : null}
        </div>
      ))}
    </div>
  );
}
