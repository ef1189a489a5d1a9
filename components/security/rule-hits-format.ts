/**
 * How the console writes what a security group rule admitted: packet counts in the reader's
 * compact notation ("1.2K", "1.2万"), bytes in decimal units as traffic is counted ("3.4 MB"),
 * and a rule by the number the editor gives it (its list index from 1). Pure functions, no React.
 */

/** A count in the locale's compact notation with at most one decimal: 1234 → "1.2K" (en). */
export function compactCount(n: number, locale: string): string {
  return new Intl.NumberFormat(locale, { notation: "compact", maximumFractionDigits: 1 }).format(Math.round(n));
}

const BYTE_UNITS = ["B", "kB", "MB", "GB", "TB", "PB"];

/** Bytes in decimal units, one decimal below 100 of a unit: 3_400_000 → "3.4 MB", 999 → "999 B". */
export function decimalBytes(bytes: number): string {
  let value = Math.max(0, Math.round(bytes));
  let unit = 0;
  while (value >= 1000 && unit < BYTE_UNITS.length - 1) {
    value /= 1000;
    unit++;
  }
  // Rounding up to 1000 of a unit reads as 1 of the next one ("1 MB", not "1000 kB").
  if (unit > 0 && +value.toFixed(1) >= 1000 && unit < BYTE_UNITS.length - 1) {
    value /= 1000;
    unit++;
  }
  const digits = unit === 0 || value >= 100 ? 0 : 1;
  return `${+value.toFixed(digits)} ${BYTE_UNITS[unit]}`;
}

export type RuleRef = number | "same-group";

/** The number the rule editor shows ("Inbound rule 1" is index 0); the same-group rule has none. */
export const ruleNumber = (rule: RuleRef): number | null => (rule === "same-group" ? null : rule + 1);

/** Rows keyed by direction and rule, for looking a rule's figures up beside its definition. */
export function byDirectionAndRule<T extends { direction: string; rule: RuleRef }>(rows: readonly T[]): Map<string, T> {
  return new Map(rows.map((r) => [ruleKey(r.direction, r.rule), r]));
}

export const ruleKey = (direction: string, rule: RuleRef) => `${direction}|${rule}`;
