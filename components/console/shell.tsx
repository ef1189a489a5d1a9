"use client";
import Link from "next/link";
import { usePathname } from "next/navigation";
import { useTranslations } from "next-intl";
import type { ReactNode } from "react";
import type { Membership } from "@/db/queries/tenancy";
import { LiveIndicator } from "@/components/live/live-indicator";
import { LiveUpdates } from "@/components/live/live-updates";
import { LanguageSwitch } from "./language-switch";
import { SignOutButton } from "./sign-out-button";
import { NamespaceSelector } from "@/components/namespaces/namespace-selector";
import { TenantSwitcher } from "./tenant-switcher";

interface ShellProps {
  area: "tenant" | "admin";
  nav: readonly { href: string; key: string }[];
  user: { email: string; isOperator: boolean };
  tenants: Membership[];
  current: Membership | null;
  children: ReactNode;
}

/**
 * The frame of every signed-in page: navigation, tenant switcher, language, sign-out, and the
 * live layer (one subscription for the whole console, so that no page polls).
 */
export function Shell({ area, nav, user, tenants, current, children }: ShellProps) {
  const t = useTranslations("nav");
  const pathname = usePathname();
  return (
    <LiveUpdates
      scope={area === "admin" ? "cluster" : "tenant"}
      enabled={area === "admin" ? user.isOperator : current !== null}
      streamKey={current?.tenantId ?? ""}
    >
      <div className="flex min-h-screen flex-col md:flex-row">
        <a href="#main" className="sr-only focus:not-sr-only focus:absolute focus:p-2">
          {t("skip")}
        </a>
        <aside className="border-b border-zinc-200 bg-white md:w-56 md:shrink-0 md:border-b-0 md:border-r dark:border-zinc-800 dark:bg-zinc-900">
          <div className="px-4 py-4">
            <Link href={area === "admin" ? "/admin" : "/overview"} className="font-semibold">
              {t(area === "admin" ? "adminTitle" : "title")}
            </Link>
          </div>
          <nav aria-label={t(area === "admin" ? "adminTitle" : "title")}>
            <ul className="flex gap-1 overflow-x-auto px-2 pb-2 md:flex-col md:pb-4">
              {nav.map((item) => {
                const active =
                  pathname === item.href || (item.href !== "/admin" && pathname.startsWith(`${item.href}/`));
                return (
                  <li key={item.href}>
                    <Link
                      href={item.href}
                      aria-current={active ? "page" : undefined}
                      className={`block whitespace-nowrap rounded-md px-3 py-1.5 text-sm ${active ? "bg-sky-50 font-medium text-sky-800 dark:bg-sky-950 dark:text-sky-200" : "text-zinc-700 hover:bg-zinc-100 dark:text-zinc-300 dark:hover:bg-zinc-800"}`}
                    >
                      {t(item.key)}
                    </Link>
                  </li>
                );
              })}
            </ul>
          </nav>
        </aside>
        <div className="flex min-w-0 flex-1 flex-col">
          <header className="flex flex-wrap items-center justify-end gap-3 border-b border-zinc-200 bg-white px-4 py-2 dark:border-zinc-800 dark:bg-zinc-900">
            <LiveIndicator />
            {area === "tenant" && current !== null ? <NamespaceSelector /> : null}
            {area === "tenant" ? <TenantSwitcher tenants={tenants} current={current} /> : null}
            {user.isOperator ? (
              <Link className="text-sm underline" href={area === "admin" ? "/overview" : "/admin"}>
                {t(area === "admin" ? "toConsole" : "toAdmin")}
              </Link>
            ) : null}
            <LanguageSwitch />
            <span className="text-sm text-zinc-600 dark:text-zinc-400" data-testid="user-email">
              {user.email}
            </span>
            <SignOutButton />
          </header>
          <main id="main" className="mx-auto w-full max-w-7xl flex-1 px-4 py-6 md:px-8">
            {children}
          </main>
        </div>
      </div>
    </LiveUpdates>
  );
}
