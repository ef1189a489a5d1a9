"use client";
import { useLocale } from "next-intl";
import { useCallback } from "react";
import { formatAge } from "./format";

/** formatAge in the reader's language: "2d4h" in English, "2天4小时" in Chinese. */
export function useFormatAge(): (fromMs: number, nowMs: number) => string {
  const locale = useLocale();
  return useCallback((fromMs: number, nowMs: number) => formatAge(fromMs, nowMs, locale), [locale]);
}
