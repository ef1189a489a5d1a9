"use client";
import { useInfiniteQuery } from "@tanstack/react-query";
import { useTranslations } from "next-intl";
import { useState } from "react";
import { AuditTable } from "@/components/audit/audit-table";
import { Button } from "@/components/ui/button";
import { TextField } from "@/components/ui/field";
import { PageHeader } from "@/components/ui/panel";
import { useTRPC } from "@/components/trpc";

/** The installation's whole audit log, optionally for one tenant. */
export function AdminAudit({ initialTenant = "" }: { initialTenant?: string }) {
  const t = useTranslations("admin.audit");
  const nav = useTranslations("nav");
  const trpc = useTRPC();
  const [typed, setTyped] = useState(initialTenant);
  const [tenantId, setTenantId] = useState(initialTenant.trim());
  const feed = useInfiniteQuery(
    trpc.admin.audit.infiniteQueryOptions(
      { limit: 50, tenantId: tenantId || undefined },
      { getNextPageParam: (last) => last.nextCursor ?? undefined },
    ),
  );
  return (
    <div className="space-y-6">
      <PageHeader title={nav("adminAudit")} description={t("description")} />
      <search aria-label={t("tenantFilter")}>
        <form
          className="grid gap-3 sm:grid-cols-[minmax(0,24rem)_auto_auto] sm:items-start"
          onSubmit={(e) => {
            e.preventDefault();
            setTenantId(typed.trim());
          }}
        >
          <TextField
            label={t("tenantFilter")}
            hint={t("tenantFilterHint")}
            value={typed}
            onChange={(e) => setTyped(e.target.value)}
            maxLength={64}
          />
          <Button type="submit" variant="secondary" className="sm:mt-6">
            {t("apply")}
          </Button>
          <Button
            variant="ghost"
            className="sm:mt-6"
            disabled={!typed && !tenantId}
            onClick={() => {
              setTyped("");
              setTenantId("");
            }}
          >
            {t("clear")}
          </Button>
        </form>
      </search>
      <AuditTable feed={feed} showTenant={!tenantId} emptyBody={t("emptyBody")} />
    </div>
  );
}
