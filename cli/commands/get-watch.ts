/**
 * `get -w`: after the first listing, prints each object that changed, as kubectl get -w does.
 * After every live note that concerns the kind it re-reads the list; a server without a live
 * stream is polled every `intervalSeconds` instead. Re-reads never overlap: notes that come
 * during one are folded into a single next one. A failed re-read ends the watch with its error.
 *
 * What "changed" means depends on the output: a table row that differs (the AGE column aside),
 * or, for -o json|yaml, a Kubernetes object whose resourceVersion moved.
 */
import { columnWidths, formatRow } from "../format";
import type { KubeObject } from "../kube-objects";
import { printKube } from "../kube-objects";
import { followLive } from "../live";
import type { OutputFormat } from "../output";
import { renderObjects } from "../output";
import { columnsFor, nameOf, namespaceOf, singular, type AnyObject, type ListedKind } from "../resources";
import type { Session } from "../session";
import { isObjectNote, type LiveNote } from "../../server/live/notes";
import { stopSignal, type Io } from "./types";

/** The engine kinds whose changes can change a kind's rows (a deployment's READY counts its pods). */
const liveKinds: Record<ListedKind, readonly string[]> = {
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
export function noteConcerns(kind: ListedKind, note: LiveNote, namespace: string | undefined): boolean {
  if (note.type === "resync") return true;
  if (!isObjectNote(note) || !liveKinds[kind].includes(note.kind)) return false;
  return namespace === undefined || note.namespace === undefined || note.namespace === namespace;
}

/** Prints what changed since the last re-read. */
type Reprint = () => Promise<void>;

/** The table (or -o name) watch: a row printed when it differs; a vanished object as `kind/name deleted`. */
export async function tableReprint(
  s: Session,
  kind: ListedKind,
  initial: AnyObject[],
  format: OutputFormat,
  io: Io,
  fetch: () => Promise<AnyObject[]>,
): Promise<Reprint> {
  const allNamespaces = s.allNamespaces;
  const table = format === "table" || format === "wide";
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
  if (!initial.length && table) io.out(formatRow(cols.headers, widths));
  return async () => {
    const items = await fetch();
    now = await s.serverNow();
    for (const o of items) {
      const row = cols.row(o, now);
      const id = idOf(o);
      if (seen.get(id) === key(row)) continue;
      seen.set(id, key(row));
      if (table) {
        widths = widths.map((w, i) => Math.max(w, (row[i] ?? "").length));
        io.out(formatRow(row, widths));
      } else io.out(renderObjects(kind, [o], format, now, true, allNamespaces));
    }
    for (const id of [...seen.keys()]) {
      if (items.some((o) => idOf(o) === id)) continue;
      seen.delete(id);
      if (table) io.out(`${singular[kind]}/${id} deleted`);
    }
  };
}

/** The -o json|yaml watch: each object again, whole, when its resourceVersion moves (YAML documents split by ---). */
export function kubeReprint(
  initial: KubeObject[],
  format: "json" | "yaml",
  io: Io,
  fetch: () => Promise<KubeObject[]>,
): Reprint {
  const idOf = (o: KubeObject) => `${String(o.metadata.namespace ?? "")}/${o.metadata.name ?? ""}`;
  const seen = new Map(initial.map((o) => [idOf(o), o.metadata.resourceVersion]));
  return async () => {
    const items = await fetch();
    for (const o of items) {
      if (seen.get(idOf(o)) === o.metadata.resourceVersion) continue;
      seen.set(idOf(o), o.metadata.resourceVersion);
      io.out(format === "json" ? printKube(o, "json") : `---\n${printKube(o, "yaml")}`);
    }
    for (const id of [...seen.keys()]) if (!items.some((o) => idOf(o) === id)) seen.delete(id);
  };
}

/** Runs `reprint` after every note that concerns the kind (or every interval without a stream) until stopped. */
export async function watchLoop(
  s: Session,
  kind: ListedKind,
  io: Io,
  reprint: Reprint,
  intervalSeconds: number,
): Promise<number> {
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
        await reprint();
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
