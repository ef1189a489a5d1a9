/** -o table|wide|json|yaml|name for lists and single objects. */
import YAML from "yaml";
import { UsageError } from "./errors";
import { formatTable } from "./format";
import { columnsFor, nameOf, singular, type AnyObject, type Kind } from "./resources";

export type OutputFormat = "table" | "wide" | "json" | "yaml" | "name";
const formats: OutputFormat[] = ["table", "wide", "json", "yaml", "name"];

export function outputFormat(value: string | undefined, command: string): OutputFormat {
  if (value === undefined) return "table";
  if (!(formats as string[]).includes(value))
    throw new UsageError(`unknown output format "${value}" (expected ${formats.join(", ")})`, command);
  return value as OutputFormat;
}

/** Plain JSON data (dates as ISO strings, no undefined). */
export function toData(value: unknown): unknown {
  return JSON.parse(JSON.stringify(value, (_k, v: unknown) => (v instanceof Date ? v.toISOString() : v)));
}

export function renderData(value: unknown, format: "json" | "yaml"): string {
  return format === "json" ? JSON.stringify(toData(value), null, 2) : YAML.stringify(toData(value)).trimEnd();
}

/** A single NAME request prints the object itself in json/yaml; a list prints a List. */
export function renderObjects(
  kind: Exclude<Kind, "invoices">,
  items: AnyObject[],
  format: OutputFormat,
  now: number,
  single: boolean,
  allNamespaces = false,
): string {
  if (format === "json" || format === "yaml")
    return renderData(single && items.length === 1 ? items[0] : { kind: "List", items }, format);
  if (format === "name") return items.map((o) => `${singular[kind]}/${nameOf(kind, o)}`).join("\n");
  if (!items.length) return "";
  const cols = columnsFor(kind, format === "wide", allNamespaces);
  return formatTable(
    cols.headers,
    items.map((o) => cols.row(o, now)),
  );
}
