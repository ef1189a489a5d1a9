import { cookies, headers } from "next/headers";
import { getRequestConfig } from "next-intl/server";
import { localeCookie, toLocale, type Locale } from "./locales";

/** The saved choice wins; otherwise the browser's first language we speak. */
export default getRequestConfig(async () => {
  const saved = (await cookies()).get(localeCookie)?.value;
  const locale: Locale = saved ? toLocale(saved) : fromAcceptLanguage((await headers()).get("accept-language"));
  // One time zone for server and browser rendering, so the same instant never reads two ways.
  const timeZone = process.env.TZ || Intl.DateTimeFormat().resolvedOptions().timeZone;
  return { locale, timeZone, messages: (await import(`../messages/${locale}.json`)).default };
});

function fromAcceptLanguage(value: string | null): Locale {
  return value?.toLowerCase().startsWith("zh") ? "zh-CN" : "en";
}
