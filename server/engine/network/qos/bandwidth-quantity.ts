/**
 * Bandwidth and packet-rate quantities, read exactly as kubelet reads the
 * `kubernetes.io/{ingress,egress}-bandwidth` annotations: `resource.ParseQuantity`, then
 * `Value()` (rounded up to a whole number), in bits per second.
 * Guarantees: the accepted grammar is resource.Quantity's (sign, `1`, `1.5`, `1.`, `.5`;
 * decimal SI `m k M G T P E`, binary SI `Ki … Ei`, exponents `1e6` / `1E-3`); no spaces, no
 * `K`, no `Mbit`. The value is computed in exact integer arithmetic (BigInt), so "0.1M" is
 * 100000, never 100001 from a float. Anything else returns undefined; callers word the error.
 *
 * kinds/quantity.ts's parseMemory is not reused: it accepts `K` (Kubernetes refuses it) and
 * refuses exponents and `m`, which the bandwidth plugin accepts, so a pod would be judged
 * differently here than by kubelet.
 */

const QUANTITY_RE = /^([+-]?)(\d+(?:\.\d*)?|\.\d+)(Ki|Mi|Gi|Ti|Pi|Ei|[eE][+-]?\d+|[mkMGTPE])?$/;

/** Power of ten of each decimal SI suffix. */
const DECIMAL_SUFFIX: Record<string, number> = { m: -3, "": 0, k: 3, M: 6, G: 9, T: 12, P: 15, E: 18 };
/** Power of two of each binary SI suffix. */
const BINARY_SUFFIX: Record<string, number> = { Ki: 10, Mi: 20, Gi: 30, Ti: 40, Pi: 50, Ei: 60 };

/** Longer input is no quantity anyone writes; refusing it keeps BigInt work bounded. */
const MAX_QUANTITY_LENGTH = 64;

/**
 * The quantity's Value(): the number rounded up to an integer (toward +∞, as Kubernetes'
 * Value() does), or undefined when `text` is not a Kubernetes quantity. Values beyond
 * Number's safe range come back as an approximation; every caller bounds them far lower.
 */
export function parseQuantityValue(text: string): number | undefined {
  if (text.length === 0 || text.length > MAX_QUANTITY_LENGTH) return undefined;
  const m = QUANTITY_RE.exec(text);
  if (!m) return undefined;
  const negative = m[1] === "-";
  const [whole = "", fraction = ""] = (m[2] ?? "").split(".");
  const suffix = m[3] ?? "";
  let pow10 = -fraction.length;
  let pow2 = 0;
  if (suffix in BINARY_SUFFIX) pow2 = BINARY_SUFFIX[suffix] ?? 0;
  else if (suffix.length > 1 && (suffix[0] === "e" || suffix[0] === "E")) {
    const exponent = Number(suffix.slice(1));
    if (Math.abs(exponent) > 400) return undefined;
    pow10 += exponent;
  } else pow10 += DECIMAL_SUFFIX[suffix] ?? 0;

  let numerator = BigInt(`${whole}${fraction}` || "0") * 2n ** BigInt(pow2);
  let denominator = 1n;
  if (pow10 >= 0) numerator *= 10n ** BigInt(pow10);
  else denominator = 10n ** BigInt(-pow10);
  const signed = negative ? -numerator : numerator;
  // Ceiling division toward +∞ for either sign.
  let value = signed / denominator;
  if (signed % denominator !== 0n && signed > 0n) value += 1n;
  return Number(value);
}

const UNITS: readonly (readonly [number, string])[] = [
  [12, "T"],
  [9, "G"],
  [6, "M"],
  [3, "k"],
];

/**
 * A rate in Kubernetes' spelling, the largest unit first: 10_000_000 → "10M", 4.29e9 →
 * "4.29G". Exact for whole numbers (so it parses back to the same value); others to three
 * decimals of the unit.
 */
export function formatQuantity(value: number): string {
  const sign = value < 0 ? "-" : "";
  const abs = Math.abs(value);
  for (const [power, unit] of UNITS) {
    if (abs < 10 ** power) continue;
    if (Number.isSafeInteger(abs)) {
      const digits = String(abs);
      const fraction = digits.slice(-power).replace(/0+$/, "");
      return `${sign}${digits.slice(0, -power)}${fraction ? `.${fraction}` : ""}${unit}`;
    }
    return `${sign}${Number((abs / 10 ** power).toFixed(3))}${unit}`;
  }
  return `${sign}${Number(abs.toFixed(3))}`;
}

/** A bit rate for people: 10_000_000 → "10 Mbit/s". */
export function formatBitRate(bitsPerSecond: number): string {
  const q = formatQuantity(bitsPerSecond);
  const unit = q.at(-1) ?? "";
  return /[kMGT]/.test(unit) ? `${q.slice(0, -1)} ${unit}bit/s` : `${q} bit/s`;
}
