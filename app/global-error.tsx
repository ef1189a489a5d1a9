"use client";
import "./globals.css";
import en from "@/messages/en/console.json";
import zh from "@/messages/zh-CN/console.json";
import { localeCookie } from "@/i18n/locales";

/**
 * The root layout itself failed, so no translation provider exists: the texts come straight
 * from the catalog files, in the language the person chose (the locale cookie) or their browser's.
 */
export default function GlobalError({ error, reset }: { error: Error & { digest?: string }; reset: () => void }) {
  const saved =
    typeof document === "undefined"
      ? ""
      : (document.cookie.match(new RegExp(`(?:^|; )${localeCookie}=([^;]*)`))?.[1] ?? "");
  const chinese = saved
    ? saved === "zh-CN"
    : typeof navigator !== "undefined" && navigator.language.toLowerCase().startsWith("zh");
  const t = (chinese ? zh : en).errorPage;
  return (
    <html lang={chinese ? "zh-CN" : "en"}>
      <body className="min-h-screen">
        <main className="mx-auto flex min-h-[60vh] max-w-xl flex-col items-center justify-center px-4 py-12 text-center">
          <h1 className="text-2xl font-semibold tracking-tight">{t.title}</h1>
          <p className="mt-3 text-sm text-zinc-600 dark:text-zinc-400">{t.body}</p>
          {error.digest ? (
            <p className="mt-3 font-mono text-xs text-zinc-500">{t.reference.replace("{digest}", error.digest)}</p>
          ) : null}
          <div className="mt-6 flex flex-wrap items-center justify-center gap-3">
            <button
              type="button"
              onClick={reset}
              className="inline-flex h-9 items-center rounded-md bg-sky-600 px-3 text-sm font-medium text-white"
            >
              {t.retry}
            </button>
            {/* A plain link: a full page load, since the app's router is what failed. */}
            <a
              href="/"
              className="inline-flex h-9 items-center rounded-md border border-zinc-300 px-3 text-sm font-medium"
            >
              {t.backHome}
            </a>
          </div>
        </main>
      </body>
    </html>
  );
}
