"use client";
import { useState } from "react";

/**
 * Search and pages over a list the page already holds (tenant memberships, usage rows): a
 * filter typed by the person, and a page of at most `pageSize` of what matches. A new search
 * starts at the first page; a page past the end (the list shrank) reads as the last one.
 */
export function useClientPages<T>(
  items: readonly T[],
  pageSize: number,
  matches: (item: T, needle: string) => boolean,
) {
  const [query, setQueryState] = useState("");
  const [page, setPage] = useState(1);
  const needle = query.trim().toLowerCase();
  const filtered = needle ? items.filter((item) => matches(item, needle)) : items;
  const pages = Math.max(1, Math.ceil(filtered.length / pageSize));
  const current = Math.min(page, pages);
  return {
    query,
    setQuery(next: string) {
      setQueryState(next);
      setPage(1);
    },
    page: current,
    pages,
    total: filtered.length,
    items: filtered.slice((current - 1) * pageSize, current * pageSize),
    next: () => setPage(Math.min(pages, current + 1)),
    previous: () => setPage(Math.max(1, current - 1)),
  };
}
