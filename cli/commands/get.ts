/** cloudctl get KIND [NAME] [-n NS | -A] [-o ...] [-l k=v] [-w]: the kinds of resources.ts, and invoices. */
import { bool, parse, str, type OptionSpec } from "../args";
import { CliError, UsageError } from "../errors";
import { columnWidths, formatRow, formatTable } from "../format";
import { outputFormat, renderData, renderObjects } from "../output";
import { formatMinor } from "../../server/billing/rating";
import { monthOf } from "./account";
import {
  columnsFor,
  getObject,
  kindAndName,
  labelsOf,
  listObjects,
  nameOf,
  namespaceOf,
  singular,
  type AnyObject,
  type Kind,
} from "../resources";
import { isObjectNote, type LiveNote } from "../../server/live/notes";
import { followLive } from "../live";
import { connect, type Session } from "../session";
import { stopSignal, type Command, type Io } from "./types";

const options: OptionSpec = {
  output: { type: "string", short: "o", value: "FORMAT", description: "table (default), wide, json, yaml or name" },
  selector: {
    type: "string",
    short: "l",
    value: "KEY=VALUE",
    description: "Only objects with these labels (comma-separated; key!=value excludes)",
  },
  watch: {
    type: "boolean",
    short: "w",
    description: "After listing, keep printing objects as they change (Ctrl-C to stop)",
  },
  interval: {
    type: "string",
    value: "SECONDS",
    description: "Polling interval for --watch when the server has no live stream (default 1)",
  },
};

type Selector = { key: string; value: string; negate: boolean }[];

export function parseSelector(text: string | undefined, command: string): Selector {
  if (!text) return [];
  return text.split(",").map((part) => {
    const m = /^([^=!\s]+)\s*(!=|==|=)\s*(.*)$/.exec(part.trim());
    if (!m) throw new UsageError(`bad label selector "${part}" (expected key=value or key!=value)`, command);
    return { key: m[1] ?? "", value: m[3] ?? "", negate: m[2] === "!=" };
  });
}

export function matches(selector: Selector, labels: Record<string, string> | undefined): boolean {
  return selector.every((s) => ((labels ?? {})[s.key] === s.value) !== s.negate);
}

export const getCommand: Command = {
  name: "get",
  summary: "List objects or show one",
  usage:
    "cloudctl get deployments|pods|nodes|nodepools|events|namespaces|resourcequotas|invoices [NAME] [-n NAMESPACE | -A] [-o table|wide|json|yaml|name] [-l key=value] [-w]",
  options,
  async run(args, io) {
    const p = parse(args, options, "get");
    const { kind, name, rest } = kindAndName(p.positionals, "get");
    if (rest.length) throw new UsageError(`unexpected argument "${rest[0]}"`, "get");
    const format = outputFormat(str(p, "output"), "get");
    const selector = parseSelector(str(p, "selector"), "get");
    if (selector.length && kind === "events")
      throw new UsageError(
        "events have no labels; filter them by object name instead: cloudctl get events NAME",
        "get",
      );
    const s = await connect(p);
    if (kind === "invoices") return printInvoices(s, name, format, io);
    const fetch = async () =>
      (name ? await getObject(s, kind, name) : await listObjects(s, kind)).filter((o) =>
        matches(selector, labelsOf(kind, o)),
      );
    const items = await fetch();
    const now = await s.serverNow();
    const text = renderObjects(kind, items, format, now, Boolean(name) && kind !== "events", s.allNamespaces);
    if (text) io.out(text);
    else if (!bool(p, "watch") && (format === "table" || format === "wide")) io.err(`No ${kind} found.`);
    if (!bool(p, "watch")) return 0;
    return watch(s, kind, items, format, io, fetch, Number(str(p, "interval") ?? "1"));
  },
};

/** The engine kinds whose changes can change a kind's rows (a deployment's READY counts its pods). */
const liveKinds: Record<Exclude<Kind, "invoices">, readonly string[]> = {
  deployments: ["Deployment", "ReplicaSet", "Pod"],
  pods: ["Pod"],
  nodes: ["Node", "Pod"],
  nodepools: ["NodePool", "Node"],
  events: ["Event"],
  namespaces: ["Namespace"],
  // A quota's usage moves with its namespace's pods.
  resourcequotas: ["ResourceQuota", "Pod"],
};

/** Whether a live note may change what `get` lists: its kind, and its namespace unless -A. */
export function noteConcerns(kind: Exclude<Kind, "invoices">, note: LiveNote, namespace: string | undefined): boolean {
  if (note.type === "resync") return true;
  if (!isObjectNote(note) || !liveKinds[kind].includes(note.kind)) return false;
  return namespace === undefined || note.namespace === undefined || note.namespace === namespace;
}

/**
 * Prints each object whose row changed (the AGE column aside), as kubectl get -w does: after
 * every live note that concerns the kind it re-reads the list; a server without a live stream
 * is polled every `intervalSeconds` instead. Re-reads never overlap: notes that come during one
 * are folded into a single next one. A failed re-read ends the watch with its error.
 */
async function watch(
  s: Session,
  kind: Exclude<Kind, "invoices">,
  initial: AnyObject[],
  format: ReturnType<typeof outputFormat>,
  io: Io,
  fetch: () => Promise<AnyObject[]>,
  intervalSeconds: number,
): Promise<number> {
  const allNamespaces = s.allNamespaces;
  const cols = columnsFor(kind, format === "wide", allNamespaces);
  // Names repeat across namespaces: with -A an object is known by its namespace and name.
  const idOf = (o: AnyObject) => {
    const ns = namespaceOf(kind, o);
    return ns === undefined || !allNamespaces ? nameOf(kind, o) : `${ns}/${nameOf(kind, o)}`;
  };
  const ageIndex = cols.headers.indexOf(kind === "events" ? "LAST SEEN" : "AGE");
  const key = (row: string[]) => row.filter((_c, i) => i !== ageIndex).join("\u0000");
  let now = await s.serverNow();
  const seen = new Map(initial.map((o) => [idOf(o), key(cols.row(o, now))]));
  let widths = columnWidths(
    cols.headers,
    initial.map((o) => cols.row(o, now)),
  );
  if (!initial.length && (format === "table" || format === "wide")) io.out(formatRow(cols.headers, widths));

  const print = async () => {
    const items = await fetch();
    now = await s.serverNow();
    for (const o of items) {
      const row = cols.row(o, now);
      const id = idOf(o);
      if (seen.get(id) === key(row)) continue;
      seen.set(id, key(row));
      if (format === "table" || format === "wide") {
        widths = widths.map((w, i) => Math.max(w, (row[i] ?? "").length));
        io.out(formatRow(row, widths));
      } else io.out(renderObjects(kind, [o], format, now, true, allNamespaces) + (format === "json" ? "" : "\n---"));
    }
    for (const id of [...seen.keys()]) {
      if (items.some((o) => idOf(o) === id)) continue;
      seen.delete(id);
      if (format === "table" || format === "wide") io.out(`${singular[kind]}/${id} deleted`);
    }
  };

  const stop = stopSignal(io);
  const namespace = await s.listNamespace();
  let dirty = false;
  let running: Promise<void> | undefined;
  /** One re-read at a time; notes during one ask for exactly one more. */
  const refresh = (): Promise<void> => {
    if (running) {
      dirty = true;
      return running;
    }
    running = (async () => {
      do {
        dirty = false;
        await print();
      } while (dirty && !stop.aborted);
    })().finally(() => {
      running = undefined;
    });
    return running;
  };
  // Notes are not awaited one by one: a burst of them folds into one or two re-reads.
  const ended = new AbortController();
  stop.addEventListener("abort", () => ended.abort(), { once: true });
  if (stop.aborted) ended.abort();
  let failure: { error: unknown } | undefined;
  const kick = () =>
    void refresh().catch((error: unknown) => {
      failure ??= { error };
      ended.abort();
    });
  let opened = false;
  const end = await followLive(
    s,
    (note) => {
      // The first heartbeat says the stream is open: re-read what changed while it opened.
      if (note.type === "heartbeat" ? !opened : noteConcerns(kind, note, namespace)) {
        opened = true;
        kick();
      }
    },
    ended.signal,
  );
  await running?.catch(() => undefined);
  if (failure) throw failure.error;
  if (end.ended === "stopped") return 0;
  if (end.ended === "failed") throw end.error;
  const why = end.ended === "complete" ? "the server ended it" : end.reason;
  io.err(`No live stream from the server (${why}); polling every ${intervalSeconds}s.`);
  const interval = Math.max(0.1, Number.isFinite(intervalSeconds) ? intervalSeconds : 1) * 1000;
  while (!stop.aborted) {
    await new Promise<void>((resolve) => {
      const timer = setTimeout(done, interval);
      stop.addEventListener("abort", done, { once: true });
      function done() {
        clearTimeout(timer);
        stop.removeEventListener("abort", done);
        resolve();
      }
    });
    if (!stop.aborted) await refresh();
  }
  return 0;
}

/** Invoices: the running month's draft, then closed ones, newest first. */
async function printInvoices(
  s: Awaited<ReturnType<typeof connect>>,
  name: string | undefined,
  format: ReturnType<typeof outputFormat>,
  io: Io,
): Promise<number> {
  const { items } = await s.client.billing.invoices.query();
  const selected = name ? items.filter((i) => i.id === name || monthOf(i.periodStart) === name) : items;
  if (name && selected.length === 0) throw new CliError(`invoice "${name}" not found`);
  if (format === "json" || format === "yaml") {
    io.out(
      renderData(
        selected.map((i) => ({ ...i, totalMinor: i.totalMinor.toString() })),
        format,
      ),
    );
    return 0;
  }
  if (format === "name") {
    io.out(selected.map((i) => `invoice/${i.id}`).join("\n"));
    return 0;
  }
  io.out(
    formatTable(
      ["ID", "STATUS", "PERIOD", "TOTAL"],
      selected.map((i) => [i.id, i.status, monthOf(i.periodStart), `${formatMinor(i.totalMinor)} ${i.currency}`]),
    ),
  );
  return 0;
}
