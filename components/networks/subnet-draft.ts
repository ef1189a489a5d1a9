/**
 * The subnet forms' pure parts: namespaces written as a comma- or space-separated list, and where
 * a refusal belongs (the field the engine names: `spec.cidrBlock`, `spec.namespaces[1]`,
 * `metadata.name`; or the input zod names), else above the save button.
 */
export type SubnetField = "name" | "cidrBlock" | "namespaces";

/** "shop, web  api" → ["shop", "web", "api"] (order kept, duplicates left for the server to name). */
export function parseNamespaces(text: string): string[] {
  return text
    .split(/[\s,]+/)
    .map((s) => s.trim())
    .filter((s) => s.length > 0);
}

/** The form field a refusal names, if any. */
export function refusalField(data: unknown): SubnetField | null {
  const d = data as { field?: string; fieldErrors?: Record<string, string[]> } | undefined;
  const field = d?.field;
  if (field === "spec.cidrBlock" || field === "spec.gateway" || field?.startsWith("spec.excludeIps"))
    return "cidrBlock";
  if (field?.startsWith("spec.namespaces")) return "namespaces";
  if (field === "metadata.name") return "name";
  const zod = Object.keys(d?.fieldErrors ?? {});
  for (const key of ["name", "cidrBlock", "namespaces"] as const) if (zod.includes(key)) return key;
  return null;
}

/** The message to show at a field: the zod message for it when there is one, else the server's. */
export function refusalText(error: { message: string; data?: unknown }, field: SubnetField | null): string {
  const zod = (error.data as { fieldErrors?: Record<string, string[]> } | undefined)?.fieldErrors;
  return (field && zod?.[field]?.[0]) || error.message;
}
