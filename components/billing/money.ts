/**
 * Money on the client without floating point: bigint minor units are formatted through
 * Intl with an exact decimal string, and typed amounts are parsed digit by digit.
 */
import { formatMinor } from "@/server/billing/rating";

export function formatMoney(locale: string, currency: string, minor: bigint): string {
  // Intl.NumberFormat formats decimal strings exactly (no conversion to a double).
  return new Intl.NumberFormat(locale, { style: "currency", currency }).format(formatMinor(minor) as unknown as number);
}

/** Micro-units per hour as a plain decimal ("0.031"), trailing zeros trimmed. */
export function formatMicrosPlain(micros: bigint): string {
  const whole = micros / 1_000_000n;
  const frac = (micros % 1_000_000n).toString().padStart(6, "0").replace(/0+$/, "");
  return frac ? `${whole}.${frac}` : `${whole}`;
}

/** "12.5" with 2 decimals → 1250n; null when it is not a plain non-negative decimal with at most `decimals` places. */
export function parseDecimal(text: string, decimals: number): bigint | null {
  const m = /^(\d{1,12})(?:\.(\d+))?$/.exec(text.trim());
  if (!m) return null;
  const frac = m[2] ?? "";
  if (frac.length > decimals) return null;
  return BigInt(m[1] as string) * 10n ** BigInt(decimals) + BigInt(frac.padEnd(decimals, "0") || "0");
}
