/**
 * Structural equality of JSON-like values (plain objects, arrays, strings, numbers,
 * booleans, null), as their canonical JSON would compare: key order does not matter and a
 * key whose value is undefined counts as absent. Keys named in `ignoreKeys` are skipped at
 * every depth. Cheaper than comparing canonical JSON strings: nothing is built.
 */
export function jsonEqual(a: unknown, b: unknown, ignoreKeys?: ReadonlySet<string>): boolean {
  if (a === b) return true;
  if (typeof a !== "object" || typeof b !== "object" || a === null || b === null) return false;
  if (Array.isArray(a) || Array.isArray(b)) {
    if (!Array.isArray(a) || !Array.isArray(b) || a.length !== b.length) return false;
    for (let i = 0; i < a.length; i++) if (!jsonEqual(a[i], b[i], ignoreKeys)) return false;
    return true;
  }
  const x = a as Record<string, unknown>;
  const y = b as Record<string, unknown>;
  let keysOfX = 0;
  for (const k in x) {
    if (x[k] === undefined || ignoreKeys?.has(k)) continue;
    keysOfX++;
    if (!jsonEqual(x[k], y[k], ignoreKeys)) return false;
  }
  let keysOfY = 0;
  for (const k in y) if (y[k] !== undefined && !ignoreKeys?.has(k)) keysOfY++;
  return keysOfX === keysOfY;
}
