/** login, config get-contexts|use-context|current-context|delete-context|set-context, bill. */
import { bool, expectPositionals, parse, str, type OptionSpec } from "../args";
import { configPath, loadConfig, saveConfig } from "../config";
import { CliError, UsageError } from "../errors";
import { formatQuantity, unitOf } from "../../server/billing/export";
import { formatMinor } from "../../server/billing/rating";
import { formatTable } from "../format";
import { connect, sessionFor } from "../session";
import type { Command } from "./types";

const loginOptions: OptionSpec = {
  url: {
    type: "string",
    value: "URL",
    description: "The console's address, e.g. https://cloud.example.com (required)",
  },
  token: { type: "string", value: "TOKEN", description: "An API token (Settings → API tokens) (required)" },
  name: { type: "string", value: "CONTEXT", description: "Name for the saved context (default the tenant's slug)" },
};

export const loginCommand: Command = {
  name: "login",
  summary: "Check an API token and save it as a context (becomes the current one)",
  usage: "cloudctl login --url URL --token TOKEN [--name CONTEXT]",
  details: `Contexts are saved in $CLOUDCTL_CONFIG or ~/.config/cloudctl/config.json (mode 0600). $CLOUDCTL_URL and $CLOUDCTL_TOKEN override the saved context.`,
  options: loginOptions,
  async run(args, io) {
    const p = parse(args, loginOptions, "login");
    expectPositionals(p, [], "login");
    const url = str(p, "url");
    const token = str(p, "token") || process.env.CLOUDCTL_TOKEN;
    if (!url) throw new UsageError("missing --url", "login");
    if (!token) throw new UsageError("missing --token", "login");
    if (!/^https?:\/\//.test(url))
      throw new UsageError(`--url must start with http:// or https://, got "${url}"`, "login");
    const s = sessionFor(url, token, "login");
    const tenant = await s.client.tenants.current.query();
    const me = await s.client.session.me.query();
    const name = str(p, "name") ?? tenant.slug;
    const path = configPath();
    const config = await loadConfig(path);
    config.contexts[name] = { url: url.replace(/\/+$/, ""), token, tenant: tenant.slug, user: me?.user.email };
    config.currentContext = name;
    await saveConfig(config, path);
    io.out(
      `Logged in to ${url} as ${me?.user.email ?? "?"} in tenant "${tenant.name}" (context "${name}", role ${tenant.role}).`,
    );
  },
};

const actions = ["get-contexts", "use-context", "current-context", "delete-context", "set-context"];
const configOptions: OptionSpec = {
  current: { type: "boolean", description: "set-context: change the current context" },
};

export const configCommand: Command = {
  name: "config",
  summary: "List, switch or delete saved contexts, or set a context's namespace",
  usage: [
    "cloudctl config get-contexts | use-context NAME | current-context | delete-context NAME",
    "       cloudctl config set-context NAME|--current --namespace NAMESPACE",
  ].join("\n"),
  details:
    "A context's namespace is where commands act without -n; `--namespace ''` goes back to the tenant's default.",
  options: configOptions,
  async run(args, io) {
    const p = parse(args, configOptions, "config");
    const [action, ...rest] = p.positionals;
    if (!action) throw new UsageError(`missing action (${actions.join(", ")})`, "config");
    const path = configPath();
    const config = await loadConfig(path);
    switch (action) {
      case "get-contexts": {
        if (rest.length) throw new UsageError(`unexpected argument "${rest[0]}"`, "config");
        // The NAMESPACE column appears once a context names one (scripts read the five columns before it).
        const withNamespace = Object.values(config.contexts).some((c) => c.namespace);
        io.out(
          formatTable(
            ["CURRENT", "NAME", "SERVER", "TENANT", "USER", ...(withNamespace ? ["NAMESPACE"] : [])],
            Object.entries(config.contexts).map(([n, c]) => [
              n === config.currentContext ? "*" : "",
              n,
              c.url,
              c.tenant ?? "",
              c.user ?? "",
              ...(withNamespace ? [c.namespace ?? ""] : []),
            ]),
          ),
        );
        return;
      }
      case "current-context":
        if (!config.currentContext) throw new CliError("no current context: run `cloudctl login`");
        io.out(config.currentContext);
        return;
      case "set-context": {
        const name = bool(p, "current")
          ? config.currentContext
          : expectPositionals({ ...p, positionals: rest }, ["NAME"], "config")[0];
        if (!name) throw new CliError("no current context: run `cloudctl login`");
        const context = config.contexts[name];
        if (!context) throw new CliError(`no context named "${name}" (see \`cloudctl config get-contexts\`)`);
        const namespace = str(p, "namespace");
        if (namespace === undefined) throw new UsageError("missing --namespace", "config");
        if (namespace) context.namespace = namespace;
        else delete context.namespace;
        await saveConfig(config, path);
        io.out(`Context "${name}" modified.`);
        return;
      }
      case "use-context":
      case "delete-context": {
        const [name] = expectPositionals({ ...p, positionals: rest }, ["NAME"], "config");
        if (!config.contexts[name!])
          throw new CliError(`no context named "${name}" (see \`cloudctl config get-contexts\`)`);
        if (action === "use-context") {
          config.currentContext = name;
          io.out(`Switched to context "${name}".`);
        } else {
          delete config.contexts[name!];
          if (config.currentContext === name) config.currentContext = undefined;
          io.out(`Deleted context "${name}".`);
        }
        await saveConfig(config, path);
        return;
      }
      default:
        throw new UsageError(`unknown config action "${action}" (expected ${actions.join(", ")})`, "config");
    }
  },
};

const billOptions: OptionSpec = {
  month: { type: "string", value: "YYYY-MM", description: "The month (default the current one)" },
};

export const billCommand: Command = {
  name: "bill",
  summary: "Show a month's bill",
  usage: "cloudctl bill [--month YYYY-MM]",
  options: billOptions,
  async run(args, io) {
    const p = parse(args, billOptions, "bill");
    expectPositionals(p, [], "bill");
    const month = str(p, "month");
    if (month !== undefined && !/^\d{4}-(0[1-9]|1[0-2])$/.test(month))
      throw new UsageError(`--month must look like 2025-03, got "${month}"`, "bill");
    const s = await connect(p);
    const { items } = await s.client.billing.invoices.query();
    const invoice = month ? items.find((i) => monthOf(i.periodStart) === month) : items[0];
    if (!invoice) throw new CliError(`no invoice for ${month}`);
    const detail = await s.client.billing.invoice.query({ id: invoice.id });
    const rows = detail.lines.map((l) => [
      l.resource,
      l.deploymentName ?? "-",
      `${formatQuantity(l.resource, l.quantity)} ${unitOf(l.resource)}`,
      formatMinor(l.amountMinor),
    ]);
    const status = detail.status === "draft" ? "month so far (draft)" : "closed";
    io.out(`Invoice ${monthOf(detail.periodStart)} (${status}), ${detail.currency}`);
    io.out(rows.length ? formatTable(["RESOURCE", "DEPLOYMENT", "QUANTITY", "AMOUNT"], rows) : "No usage.");
    io.out(`TOTAL ${formatMinor(detail.totalMinor)} ${detail.currency}`);
    return 0;
  },
};

/** "2026-05" for the month starting at `ms` (UTC). */
export function monthOf(ms: number): string {
  return new Date(ms).toISOString().slice(0, 7);
}
