import { getTranslations } from "next-intl/server";
import type { ReactNode } from "react";
import { LanguageSwitch } from "@/components/console/language-switch";

export default async function AuthLayout({ children }: { children: ReactNode }) {
  const t = await getTranslations("app");
  return (
    <main className="flex min-h-screen flex-col items-center justify-center px-4 py-12">
      <div className="w-full max-w-sm">
        <p className="mb-1 text-center text-lg font-semibold">{t("name")}</p>
        <p className="mb-6 text-center text-sm text-zinc-600 dark:text-zinc-400">{t("tagline")}</p>
        <div className="rounded-lg border border-zinc-200 bg-white p-6 shadow-sm dark:border-zinc-800 dark:bg-zinc-900">
          {children}
        </div>
        <div className="mt-4 flex justify-center">
          <LanguageSwitch />
        </div>
        <p className="mt-6 text-center text-xs text-zinc-500">{t("modelledNote")}</p>
      </div>
    </main>
  );
}
