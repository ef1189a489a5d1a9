/**
 * kubectl's text for a LabelSelector object (metav1.FormatLabelSelector): requirements sorted
 * by key, `k=v`, `k in (a,b)`, `k notin (a)`, `k`, `!k`, joined by commas; `<none>` when the
 * selector is empty (selects everything). The NetworkPolicy POD-SELECTOR column prints it.
 */
import type { LabelSelector } from "./label-selector";

export function formatLabelSelector(selector: LabelSelector | undefined): string {
  if (selector === undefined) return "<none>";
  const parts: { key: string; text: string }[] = [];
  for (const [k, v] of Object.entries(selector.matchLabels ?? {})) parts.push({ key: k, text: `${k}=${v}` });
  for (const r of selector.matchExpressions ?? []) {
    const values = [...(r.values ?? [])].sort().join(",");
    const text =
      r.operator === "In"
        ? `${r.key} in (${values})`
        : r.operator === "NotIn"
          ? `${r.key} notin (${values})`
          : r.operator === "Exists"
            ? r.key
            : `!${r.key}`;
    parts.push({ key: r.key, text });
  }
  parts.sort((a, b) => (a.key < b.key ? -1 : a.key > b.key ? 1 : 0));
  return parts.length === 0 ? "<none>" : parts.map((p) => p.text).join(",");
}
