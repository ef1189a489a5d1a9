"use client";
import { useMutation, useQueryClient } from "@tanstack/react-query";
import Link from "next/link";
import { useRouter } from "next/navigation";
import { useTranslations } from "next-intl";
import type { Membership } from "@/db/queries/tenancy";
import { useTRPC } from "@/components/trpc";

/** Switches the session's current tenant; every cached query is dropped, since all were tenant-scoped. */
export function TenantSwitcher({ tenants, current }: { tenants: Membership[]; current: Membership | null }) {
  const t = useTranslations("tenants");
  const trpc = useTRPC();
  const router = useRouter();
  const queryClient = useQueryClient();
  const switchTenant = useMutation(
    trpc.tenants.switch.mutationOptions({
      onSuccess: () => {
        queryClient.clear();
        router.refresh();
      },
    }),
  );
  return (
    <div className="flex items-center gap-2">
      <label className="flex items-center gap-2 text-sm">
        <span>{t("tenant")}</span>
        <select
          className="h-8 max-w-48 rounded-md border border-zinc-300 bg-white px-2 text-sm dark:border-zinc-700 dark:bg-zinc-900"
          value={current?.tenantId ?? ""}
          disabled={switchTenant.isPending || tenants.length === 0}
          onChange={(e) => switchTenant.mutate({ id: e.target.value })}
        >
          {tenants.length === 0 ? <option value="">{t("none")}</option> : null}
          {tenants.map((m) => (
            <option key={m.tenantId} value={m.tenantId}>
              {m.tenantName} ({t(`roles.${m.role}` as "roles.owner")})
            </option>
          ))}
        </select>
      </label>
      <Link href="/tenants/new" className="text-sm underline">
        {t("new")}
      </Link>
    </div>
  );
}
