/**
 * Paths the console cannot route: a malformed percent-encoding (`/pods/%E0%A4%A`), or one that
 * decodes to text no name can hold (U+0000, an unpaired surrogate). The proxy answers them with
 * a small 400 page in the reader's language instead of letting a page throw while decoding.
 */
import enMessages from "@/messages/en/console.json";
import zhMessages from "@/messages/zh-CN/console.json";
import { type Locale, negotiateLocale } from "@/i18n/locales";
import { unstorableReason } from "../trpc/storable-text";

/** Whether a request path cannot be decoded into usable text. */
export function isMalformedPath(pathname: string): boolean {
  let decoded: string;
  try {
    decoded = decodeURIComponent(pathname);
  } catch {
    return true;
  }
  return unstorableReason(decoded) !== null;
}

const texts: Record<Locale, typeof enMessages.httpErrors.badRequest> = {
  en: enMessages.httpErrors.badRequest,
  "zh-CN": zhMessages.httpErrors.badRequest,
};

/** The page itself: no scripts, an inline style only (the policy allows inline styles). */
export function badRequestPage(
  cookie: string | undefined,
  acceptLanguage: string | null,
  headers: Record<string, string>,
): Response {
  const locale = negotiateLocale(cookie, acceptLanguage);
  const t = texts[locale];
  const html = `<!doctype html>
<html lang="${locale}">
<head><meta charset="utf-8"><meta name="viewport" content="width=device-width, initial-scale=1"><title>${escapeHtml(t.title)}</title></head>
<body style="font-family: system-ui, sans-serif; max-width: 36rem; margin: 15vh auto; padding: 0 1.5rem; line-height: 1.5; color: #18181b">
<p style="color: #71717a; font-size: 0.875rem">${escapeHtml(t.status)}</p>
<h1 style="font-size: 1.5rem">${escapeHtml(t.title)}</h1>
<p>${escapeHtml(t.body)}</p>
<p><a href="/" style="color: #2563eb">${escapeHtml(t.back)}</a></p>
</body>
</html>`;
  return new Response(html, {
    status: 400,
    headers: { ...headers, "content-type": "text/html; charset=utf-8", "cache-control": "no-store" },
  });
}

function escapeHtml(text: string): string {
  return text.replace(/[&<>"']/g, (c) => `&#${c.charCodeAt(0)};`);
}
