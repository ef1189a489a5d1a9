/**
 * kubectl's Table (meta.k8s.io/v1) written as JSON bytes, with each row's bytes kept per stored
 * object for the kinds listed in bulk. A 3,000-pod namespace as a Table is ~2 MB of JSON; building,
 * serialising and encoding every row again on every request was most of a list's cost.
 *
 * Guarantees:
 * - The same bytes as `JSON.stringify` of the Table object in UTF-8 (columns, cells, row objects, order).
 * - A kept row is exact: engine objects are immutable values (a change is a new object), so a row
 *   kept under the object itself (WeakMap, gone with it) cannot go stale. A cell that reads the
 *   clock (an age) is a gap in the kept text, found by watching which cells call `now()` while the
 *   row is built, and rendered again on every request.
 * - Only kinds whose row and metadata depend on the object alone are kept (KEPT_KINDS); only the
 *   default row object (PartialObjectMetadata) is kept.
 */
import type { AnyKindDefinition, ConversionContext, EngineObject, ObjectKind } from "../engine";
import { columnDefinitions } from "../engine";

/**
 * A pod's cells and metadata read only the pod (and its replica set's name, which never changes
 * for that replica set's uid). Kinds whose cells count other objects (a replica set's READY) are
 * rendered afresh.
 */
const KEPT_KINDS: ReadonlySet<ObjectKind> = new Set<ObjectKind>(["Pod"]);

/**
 * Whether a kind's Table rows (cells and default row object) read nothing but the object and the
 * clock: the same objects at the same second make the same rows (table-cache.ts relies on it).
 */
export const rowsReadObjectAlone = (def: AnyKindDefinition): boolean => KEPT_KINDS.has(def.kind);

type Cell = string | number | boolean;
type Column = { cell(obj: EngineObject, ctx: ConversionContext): Cell };

/** A row's UTF-8 text around its clock cells: segments[i] + clock cell i + segments[i + 1] … */
interface KeptRow {
  readonly segments: readonly Buffer[];
  readonly clockColumns: readonly number[];
}

const kept = new WeakMap<AnyKindDefinition, WeakMap<EngineObject, KeptRow>>();
const columnsText = new WeakMap<AnyKindDefinition, string>();

/** A cell text no column writes (no object text may hold a NUL), marking where a clock cell goes. */
const gapText = (column: number) => `\u0000clock${column}`;

export interface TableJsonOptions {
  apiVersion: "meta.k8s.io/v1" | "meta.k8s.io/v1beta1";
  metadata: { resourceVersion?: string; continue?: string };
  /** The row's `object`, as `includeObject` asks. */
  rowObject: (obj: EngineObject) => unknown;
  /** Whether `rowObject` is the default (PartialObjectMetadata), the only one kept. */
  defaultRowObject: boolean;
}

/** The Table's JSON as UTF-8 bytes (a 2 MB string would be built, flattened and encoded again). */
export function tableJson(
  def: AnyKindDefinition,
  objs: readonly EngineObject[],
  ctx: ConversionContext,
  opts: TableJsonOptions,
): Buffer<ArrayBuffer> {
  const columns = def.printerColumns as readonly Column[];
  const keep = opts.defaultRowObject && KEPT_KINDS.has(def.kind);
  let rows: WeakMap<EngineObject, KeptRow> | undefined;
  if (keep) {
    rows = kept.get(def);
    if (rows === undefined) {
      rows = new WeakMap();
      kept.set(def, rows);
    }
  }
  const head = JSON.stringify({ apiVersion: opts.apiVersion, kind: "Table", metadata: opts.metadata });
  const parts: Buffer[] = [
    Buffer.from(`${head.slice(0, -1)},"columnDefinitions":${columnDefinitionsText(def)},"rows":[`),
  ];
  for (let i = 0; i < objs.length; i++) {
    const o = objs[i] as EngineObject;
    if (i > 0) parts.push(COMMA);
    if (rows === undefined) {
      parts.push(Buffer.from(JSON.stringify({ cells: columns.map((c) => c.cell(o, ctx)), object: opts.rowObject(o) })));
      continue;
    }
    let row = rows.get(o);
    if (row === undefined) {
      row = keptRow(columns, o, ctx, opts.rowObject);
      rows.set(o, row);
    }
    appendRow(parts, row, columns, o, ctx);
  }
  parts.push(END);
  // A concatenation is always a fresh (never shared) ArrayBuffer.
  return Buffer.concat(parts) as Buffer<ArrayBuffer>;
}

const COMMA = Buffer.from(",");
const END = Buffer.from("]}");

function columnDefinitionsText(def: AnyKindDefinition): string {
  let text = columnsText.get(def);
  if (text === undefined) {
    text = JSON.stringify(columnDefinitions(def));
    columnsText.set(def, text);
  }
  return text;
}

function keptRow(
  columns: readonly Column[],
  o: EngineObject,
  ctx: ConversionContext,
  rowObject: (obj: EngineObject) => unknown,
): KeptRow {
  const clockColumns: number[] = [];
  const cells = columns.map((c, i) => {
    let readClock = false;
    const now = ctx.now;
    const watched: ConversionContext =
      now === undefined
        ? ctx
        : {
            ...ctx,
            now: () => {
              readClock = true;
              return now();
            },
          };
    const value = c.cell(o, watched);
    if (!readClock) return value;
    clockColumns.push(i);
    return gapText(i);
  });
  let rest = JSON.stringify({ cells, object: rowObject(o) });
  const segments: string[] = [];
  for (const i of clockColumns) {
    const mark = JSON.stringify(gapText(i));
    const at = rest.indexOf(mark);
    segments.push(rest.slice(0, at));
    rest = rest.slice(at + mark.length);
  }
  segments.push(rest);
  return { segments: segments.map((t) => Buffer.from(t)), clockColumns };
}

function appendRow(parts: Buffer[], row: KeptRow, columns: readonly Column[], o: EngineObject, ctx: ConversionContext) {
  parts.push(row.segments[0] as Buffer);
  for (let k = 0; k < row.clockColumns.length; k++) {
    const column = columns[row.clockColumns[k] as number] as Column;
    parts.push(clockCellBytes(column.cell(o, ctx)), row.segments[k + 1] as Buffer);
  }
}

/** Clock cells' bytes by text: a list's ages take few distinct values ("5m", "2d4h"). */
const clockCells = new Map<Cell, Buffer>();
const CLOCK_CELLS_KEPT = 1024;

function clockCellBytes(cell: Cell): Buffer {
  let bytes = clockCells.get(cell);
  if (bytes === undefined) {
    bytes = Buffer.from(JSON.stringify(cell));
    if (clockCells.size >= CLOCK_CELLS_KEPT) clockCells.clear();
    clockCells.set(cell, bytes);
  }
  return bytes;
}
