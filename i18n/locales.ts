/** The console's languages. English first; Simplified Chinese for the source platform's users. */
export const locales = ["en", "zh-CN"] as const;
export type Locale = (typeof locales)[number];
export const defaultLocale: Locale = "en";
export const localeCookie = "tc-locale";

export function toLocale(value: string | undefined | null): Locale {
  return (locales as readonly string[]).includes(value ?? "") ? (value as Locale) : defaultLocale;
}

/** The saved choice (the locale cookie) wins; otherwise the browser's first language we speak. */
export function negotiateLocale(saved: string | undefined | null, acceptLanguage: string | undefined | null): Locale {
  if (saved) return toLocale(saved);
  return acceptLanguage?.toLowerCase().startsWith("zh") ? "zh-CN" : defaultLocale;
}
