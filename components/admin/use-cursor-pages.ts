"use client";
import { useState } from "react";

/**
 * Keyset pagination with Previous/Next: a stack of the cursors that opened each page seen so far.
 * A new search starts again at the first page.
 */
export function useCursorPages() {
  const [search, setSearch] = useState("");
  const [stack, setStack] = useState<(string | undefined)[]>([undefined]);
  return {
    search,
    cursor: stack[stack.length - 1],
    page: stack.length,
    applySearch(next: string) {
      setSearch(next.trim());
      setStack([undefined]);
    },
    next(cursor: string) {
      setStack((s) => [...s, cursor]);
    },
    previous() {
      setStack((s) => (s.length > 1 ? s.slice(0, -1) : s));
    },
  };
}
