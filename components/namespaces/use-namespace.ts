"use client";
/**
 * The console's namespace selection: one namespace, or none for every namespace (the default).
 * The `ns` search parameter wins (links can name a namespace); otherwise the selection last
 * made, kept in a cookie so it follows the person from page to page. Only DNS-1123 labels are
 * taken from either, so a hand-edited URL never reaches a query as an invalid input.
 */
import { usePathname, useRouter, useSearchParams } from "next/navigation";
import { useCallback, useSyncExternalStore } from "react";

export const NAMESPACE_PARAM = "ns";
const COOKIE = "tc-namespace";
const DNS1123 = /^[a-z0-9]([-a-z0-9]*[a-z0-9])?$/;
const valid = (v: string | null | undefined) => (v && v.length <= 63 && DNS1123.test(v) ? v : undefined);

const listeners = new Set<() => void>();
const subscribe = (onChange: () => void) => {
  listeners.add(onChange);
  return () => listeners.delete(onChange);
};
function readCookie(): string {
  const found = document.cookie.split("; ").find((c) => c.startsWith(`${COOKIE}=`));
  return found ? decodeURIComponent(found.slice(COOKIE.length + 1)) : "";
}
function writeCookie(namespace: string | undefined) {
  // biome-ignore lint/suspicious/noDocumentCookie: the Cookie Store API is missing from Safari and older Firefox.
  document.cookie = namespace
    ? `${COOKIE}=${encodeURIComponent(namespace)}; path=/; max-age=31536000; samesite=lax`
    : `${COOKIE}=; path=/; max-age=0; samesite=lax`;
  for (const l of listeners) l();
}

export function useNamespace(): { namespace: string | undefined; setNamespace(namespace: string | undefined): void } {
  const params = useSearchParams();
  const router = useRouter();
  const pathname = usePathname();
  // The server renders "every namespace"; the browser's cookie applies once hydrated.
  const cookie = useSyncExternalStore(subscribe, readCookie, () => "");
  const fromUrl = params.get(NAMESPACE_PARAM);
  const namespace = fromUrl !== null ? valid(fromUrl) : valid(cookie);
  const setNamespace = useCallback(
    (next: string | undefined) => {
      writeCookie(next);
      const query = new URLSearchParams(params.toString());
      query.delete(NAMESPACE_PARAM);
      query.delete("cursor");
      const search = query.toString();
      router.replace(search ? `${pathname}?${search}` : pathname, { scroll: false });
    },
    [params, pathname, router],
  );
  return { namespace, setNamespace };
}

/** Forget the selection (another tenant's namespaces are not this one's): used when the tenant changes. */
export function clearNamespaceSelection(): void {
  writeCookie(undefined);
}

/** A detail page's link that names the object's namespace (`?ns=`), so it opens there whatever is selected. */
export function inNamespace(href: string, namespace: string): string {
  return `${href}${href.includes("?") ? "&" : "?"}${NAMESPACE_PARAM}=${encodeURIComponent(namespace)}`;
}
