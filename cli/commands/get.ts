/**
 * cloudctl get KIND [NAME] [-n NS | -A] [-o ...] [-l k=v] [-w]: the kinds of resources.ts, and invoices.
 * Tables (and -o name) are the console's views; -o json|yaml the Kubernetes objects (kube-objects.ts).
 */
import { bool, parse, str, type OptionSpec } from "../args";
import { CliError, UsageError } from "../errors";
import { formatTable } from "../format";
import { getKubeObjects, kubectlList, listKubeObjects, printKube } from "../kube-objects";
import { outputFormat, renderData, renderObjects } from "../output";
import { formatMinor } from "../../server/billing/rating";
import { monthOf } from "./account";
import { getObject, kindAndName, labelsOf, listObjects } from "../resources";
import { connect } from "../session";
import { kubeReprint, tableReprint, watchLoop } from "./get-watch";
import type { Command, Io } from "./types";

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
  details: [
    "-o json|yaml prints the Kubernetes objects the Kubernetes API serves (apiVersion, kind, metadata, spec, status),",
    "as `kubectl get -o json|yaml` prints them: one object for NAME, else a `v1 List`; there -l is the API's label",
    "selector on metadata.labels. Invoices are the console's own and print as the console shows them.",
  ].join("\n"),
  kubectl:
    "kubectl get KIND [NAME] -o wide|json|yaml|name [-l SELECTOR] [-w]\nconsole only: get invoices (and cloudctl bill)",
  options,
  async run(args, io) {
    const p = parse(args, options, "get");
    const { kind, name, rest } = kindAndName(p.positionals, "get");
    if (rest.length) throw new UsageError(`unexpected argument "${rest[0]}"`, "get");
    const format = outputFormat(str(p, "output"), "get");
    const kube = format === "json" || format === "yaml";
    const labelSelector = str(p, "selector");
    // The Kubernetes API parses its own selectors (set-based ones too); the tables filter here.
    const selector = kube ? [] : parseSelector(labelSelector, "get");
    if (labelSelector && kind === "events")
      throw new UsageError(
        "events have no labels; filter them by object name instead: cloudctl get events NAME",
        "get",
      );
    const s = await connect(p);
    const interval = Number(str(p, "interval") ?? "1");
    if (kind === "invoices") return printInvoices(s, name, format, io);
    if (kube) {
      const fetch = () => (name ? getKubeObjects(s, kind, name) : listKubeObjects(s, kind, { labelSelector }));
      const items = await fetch();
      const single = Boolean(name) && kind !== "events" && items.length === 1;
      if (!bool(p, "watch")) {
        io.out(printKube(single ? items[0] : kubectlList(items), format));
        return 0;
      }
      for (const o of items) io.out(format === "json" ? printKube(o, "json") : `---\n${printKube(o, "yaml")}`);
      return watchLoop(s, kind, io, kubeReprint(items, format, io, fetch), interval);
    }
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
    return watchLoop(s, kind, io, await tableReprint(s, kind, items, format, io, fetch), interval);
  },
};

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
