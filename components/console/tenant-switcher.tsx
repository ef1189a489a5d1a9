"use client";
import { useMutation, useQueryClient } from "@tanstack/react-query";
import Link from "next/link";
import { useRouter } from "next/navigation";
import { useTranslations } from "next-intl";
import { useEffect, useId, useRef, useState } from "react";
import type { Membership } from "@/db/queries/tenancy";
import { useTRPC } from "@/components/trpc";
import { clearNamespaceSelection } from "@/components/namespaces/use-namespace";
import { PageButtons } from "@/components/ui/page-buttons";
import { useClientPages } from "@/components/ui/use-client-pages";

const pageSize = 8;

/**
 * Switches the session's current tenant; every cached query is dropped, since all were
 * tenant-scoped. A person in many tenants searches them by name or id, a page at a time.
 */
export function TenantSwitcher({ tenants, current }: { tenants: Membership[]; current: Membership | null }) {
  const t = useTranslations("tenants");
  const ts = useTranslations("tenantSwitcher");
  const trpc = useTRPC();
  const router = useRouter();
  const queryClient = useQueryClient();
  const [open, setOpen] = useState(false);
  const panelId = useId();
  const root = useRef<HTMLDivElement>(null);
  const search = useRef<HTMLInputElement>(null);
  const pages = useClientPages(
    tenants,
    pageSize,
    (m, needle) => m.tenantName.toLowerCase().includes(needle) || m.tenantSlug.toLowerCase().includes(needle),
  );
  const switchTenant = useMutation(
    trpc.tenants.switch.mutationOptions({
      onSuccess: () => {
        setOpen(false);
        clearNamespaceSelection();
        queryClient.clear();
        router.refresh();
      },
    }),
  );
  const role = (m: Membership) => t(`roles.${m.role}` as "roles.owner");

  // Closes on Escape and on a click outside, as a menu does.
  useEffect(() => {
    if (!open) return;
    search.current?.focus();
    const onKey = (e: KeyboardEvent) => e.key === "Escape" && setOpen(false);
    const onClick = (e: MouseEvent) => root.current && !root.current.contains(e.target as Node) && setOpen(false);
    document.addEventListener("keydown", onKey);
    document.addEventListener("mousedown", onClick);
    return () => {
      document.removeEventListener("keydown", onKey);
      document.removeEventListener("mousedown", onClick);
    };
  }, [open]);

  return (
    <div ref={root} className="relative flex items-center gap-2">
      <span className="text-sm" id={`${panelId}-label`}>
        {t("tenant")}
      </span>
      <button
        type="button"
        aria-haspopup="dialog"
        aria-expanded={open}
        aria-controls={panelId}
        aria-labelledby={`${panelId}-label ${panelId}-current`}
        disabled={switchTenant.isPending || tenants.length === 0}
        onClick={() => setOpen((o) => !o)}
        className="inline-flex h-8 max-w-56 items-center gap-1 rounded-md border border-zinc-300 bg-white px-2 text-sm disabled:opacity-60 dark:border-zinc-700 dark:bg-zinc-900"
      >
        <span id={`${panelId}-current`} className="truncate">
          {current ? `${current.tenantName} (${role(current)})` : t("none")}
        </span>
        <span aria-hidden>▾</span>
      </button>
      <Link href="/tenants/new" className="text-sm underline">
        {t("new")}
      </Link>
      {open ? (
        <div
          id={panelId}
          role="dialog"
          aria-label={ts("title")}
          className="absolute right-0 top-10 z-20 w-80 max-w-[calc(100vw-2rem)] space-y-2 rounded-lg border border-zinc-200 bg-white p-3 shadow-lg dark:border-zinc-800 dark:bg-zinc-900"
        >
          <label className="block text-sm font-medium">
            {ts("search")}
            <input
              ref={search}
              type="search"
              value={pages.query}
              maxLength={100}
              onChange={(e) => pages.setQuery(e.target.value)}
              className="mt-1 h-9 w-full rounded-md border border-zinc-300 bg-white px-3 text-sm font-normal dark:border-zinc-700 dark:bg-zinc-950"
            />
          </label>
          <p className="text-xs text-zinc-500 dark:text-zinc-400" aria-live="polite">
            {ts("matches", { count: pages.total, total: tenants.length })}
          </p>
          <ul aria-label={ts("title")} className="max-h-80 space-y-1 overflow-y-auto">
            {pages.items.map((m) => {
              const isCurrent = m.tenantId === current?.tenantId;
              return (
                <li key={m.tenantId}>
                  <button
                    type="button"
                    aria-current={isCurrent ? "true" : undefined}
                    disabled={switchTenant.isPending}
                    onClick={() => (isCurrent ? setOpen(false) : switchTenant.mutate({ id: m.tenantId }))}
                    className={`flex w-full items-baseline justify-between gap-2 rounded-md px-2 py-1.5 text-left text-sm hover:bg-zinc-100 dark:hover:bg-zinc-800 ${isCurrent ? "bg-sky-50 font-medium dark:bg-sky-950" : ""}`}
                  >
                    <span className="min-w-0 truncate">{m.tenantName}</span>
                    <span className="shrink-0 text-xs text-zinc-500 dark:text-zinc-400">{role(m)}</span>
                  </button>
                </li>
              );
            })}
          </ul>
          <PageButtons
            label={ts("pages")}
            page={pages.page}
            pages={pages.pages}
            onPrevious={pages.previous}
            onNext={pages.next}
          />
          {switchTenant.error ? (
            <p role="alert" className="text-xs text-red-600 dark:text-red-400">
              {switchTenant.error.message}
            </p>
          ) : null}
        </div>
      ) : null}
    </div>
  );
}
