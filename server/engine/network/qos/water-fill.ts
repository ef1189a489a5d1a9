/**
 * Weighted water-filling (weighted max-min fairness) of a budget over wants.
 * Guarantees: every share is in [0, want]; Σ shares = min(budget, Σ wants) up to rounding;
 * an item that is not fully served gets exactly `level × weight` for one common level, and
 * every fully served item's want is ≤ its `level × weight` (so nobody could gain without
 * taking from someone with a smaller share per weight). O(n log n); up to 64 items an
 * insertion sort (faster there, and allocation-free), beyond that one index view is sorted.
 * Weights must be > 0.
 */

const INSERTION_SORT_MAX = 64;

/**
 * Fills `share[0..count)` from `want` and `weight`; `order` and `key` are scratch of at least
 * `count` entries. Returns the part of `budget` handed out.
 */
export function waterFill(
  count: number,
  want: Float64Array,
  weight: Float64Array,
  budget: number,
  share: Float64Array,
  order: Uint32Array,
  key: Float64Array,
): number {
  let n = 0;
  for (let i = 0; i < count; i++) {
    share[i] = 0;
    const w = want[i] as number;
    if (w > 0) {
      order[n++] = i;
      key[i] = w / (weight[i] as number);
    }
  }
  if (n === 0 || budget <= 0) return 0;
  sortByKey(order, n, key);
  // The weight still in the pool from position k on, as suffix sums parked in `share` (each
  // slot is read before it is written): subtracting from a running total would cancel badly
  // when weights differ by orders of magnitude.
  let suffix = 0;
  for (let k = n - 1; k >= 0; k--) {
    const i = order[k] as number;
    suffix += weight[i] as number;
    share[i] = suffix;
  }

  // Raise the common level; each item leaves the pool when the level reaches its want/weight.
  let left = budget;
  let level = 0;
  let k = 0;
  for (; k < n; k++) {
    const i = order[k] as number;
    const pool = share[i] as number;
    const step = ((key[i] as number) - level) * pool;
    if (step > left) {
      level += left / pool;
      left = 0;
      break;
    }
    left -= step;
    level = key[i] as number;
    share[i] = want[i] as number;
  }
  for (; k < n; k++) {
    const i = order[k] as number;
    share[i] = Math.min(want[i] as number, level * (weight[i] as number));
  }
  return budget - left;
}

function sortByKey(order: Uint32Array, n: number, key: Float64Array): void {
  if (n > INSERTION_SORT_MAX) {
    order.subarray(0, n).sort((a, b) => (key[a] as number) - (key[b] as number));
    return;
  }
  for (let a = 1; a < n; a++) {
    const item = order[a] as number;
    const k = key[item] as number;
    let b = a - 1;
    while (b >= 0 && (key[order[b] as number] as number) > k) {
      order[b + 1] = order[b] as number;
      b--;
    }
    order[b + 1] = item;
  }
}
