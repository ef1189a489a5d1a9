/**
 * Printer-column helpers and the meta.k8s.io/v1 Table a kind's columns make.
 *
 * Guarantees: ages read as kubectl prints them (`45s`, `3m20s`, `5h`, `2d4h`, `3y`;
 * `<unknown>` without a clock); a Table's columnDefinitions and each row's cells are in the
 * kind's column order, priority 1 columns included (kubectl hides them unless `-o wide`).
 */
import type { KindDefinition, PrinterColumn } from "./definition";
import type { ConversionContext } from "./kubernetes";
import type { ObjectKind, ObjectOfKind } from "./types";

/** kubectl's HumanDuration (apimachinery duration.HumanDuration). */
export function humanDuration(ms: number): string {
  const seconds = Math.floor(ms / 1000);
  if (seconds < -1) return "<invalid>";
  if (seconds < 0) return "0s";
  if (seconds < 120) return `${seconds}s`;
  const minutes = Math.floor(seconds / 60);
  if (minutes < 10) return seconds % 60 === 0 ? `${minutes}m` : `${minutes}m${seconds % 60}s`;
  if (minutes < 180) return `${minutes}m`;
  const hours = Math.floor(minutes / 60);
  if (hours < 8) return minutes % 60 === 0 ? `${hours}h` : `${hours}h${minutes % 60}m`;
  if (hours < 48) return `${hours}h`;
  if (hours < 24 * 8)
    return hours % 24 === 0 ? `${Math.floor(hours / 24)}d` : `${Math.floor(hours / 24)}d${hours % 24}h`;
  if (hours < 24 * 365 * 2) return `${Math.floor(hours / 24)}d`;
  const days = Math.floor(hours / 24);
  if (hours < 24 * 365 * 8)
    return days % 365 === 0 ? `${Math.floor(days / 365)}y` : `${Math.floor(days / 365)}y${days % 365}d`;
  return `${Math.floor(days / 365)}y`;
}

/** The age of something that happened at `at`, by the context's clock. */
export function age(at: number | undefined, ctx: ConversionContext): string {
  if (at === undefined || ctx.now === undefined) return "<unknown>";
  return humanDuration(ctx.now() - at);
}

export function nameColumn<T extends { name: string }>(): PrinterColumn<T> {
  return {
    name: "Name",
    type: "string",
    format: "name",
    priority: 0,
    description: "Name must be unique within a namespace.",
    cell: (o) => o.name,
  };
}

export function ageColumn<T extends { createdAt: number }>(): PrinterColumn<T> {
  return {
    name: "Age",
    type: "string",
    priority: 0,
    description: "CreationTimestamp is a timestamp representing the server time when this object was created.",
    cell: (o, ctx) => age(o.createdAt, ctx),
  };
}

export interface TableColumnDefinition {
  name: string;
  type: string;
  format: string;
  description: string;
  priority: number;
}

export interface TableRow {
  cells: (string | number | boolean)[];
  object: unknown;
}

export interface Table {
  apiVersion: "meta.k8s.io/v1";
  kind: "Table";
  metadata: { resourceVersion?: string; continue?: string };
  columnDefinitions: TableColumnDefinition[];
  rows: TableRow[];
}

type ColumnShape = Omit<PrinterColumn<never>, "cell">;

export function columnDefinitions(def: { printerColumns: readonly ColumnShape[] }): TableColumnDefinition[] {
  return def.printerColumns.map((c) => ({
    name: c.name,
    type: c.type,
    format: c.format ?? "",
    description: c.description,
    priority: c.priority,
  }));
}

/** One row's cells, in column order. */
export function rowCells<K extends ObjectKind>(
  def: KindDefinition<K>,
  obj: ObjectOfKind<K>,
  ctx: ConversionContext,
): (string | number | boolean)[] {
  return def.printerColumns.map((c) => c.cell(obj, ctx));
}

/**
 * A Table of `objs`; each row's `object` is `rowObject(obj)` (PartialObjectMetadata or the
 * whole object, as `includeObject` asks: the caller decides).
 */
export function toTable<K extends ObjectKind>(
  def: KindDefinition<K>,
  objs: Iterable<ObjectOfKind<K>>,
  ctx: ConversionContext,
  rowObject: (obj: ObjectOfKind<K>) => unknown,
  metadata: Table["metadata"] = {},
): Table {
  const rows: TableRow[] = [];
  for (const o of objs) rows.push({ cells: rowCells(def, o, ctx), object: rowObject(o) });
  return {
    apiVersion: "meta.k8s.io/v1",
    kind: "Table",
    metadata,
    columnDefinitions: columnDefinitions(def),
    rows,
  };
}
