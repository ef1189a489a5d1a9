/** Flag parsing on node:util parseArgs, with mistakes reported as UsageError (exit 2). */
import { parseArgs } from "node:util";
import { UsageError } from "./errors";

export type OptionSpec = Record<
  string,
  { type: "string" | "boolean"; short?: string; multiple?: boolean; description?: string; value?: string }
>;

export interface Parsed {
  positionals: string[];
  values: Record<string, string | boolean | string[] | undefined>;
}

/** Flags every command accepts. */
export const globalOptions: OptionSpec = {
  help: { type: "boolean", short: "h", description: "Show help for the command" },
  context: { type: "string", value: "NAME", description: "Use this saved context instead of the current one" },
  namespace: {
    type: "string",
    short: "n",
    value: "NAMESPACE",
    description: "Act in this namespace (default: the context's, else the tenant's default namespace)",
  },
  "all-namespaces": {
    type: "boolean",
    short: "A",
    description: "List across every namespace of the tenant (get, top)",
  },
};

export function parse(args: string[], options: OptionSpec, command: string): Parsed {
  const spec = { ...globalOptions, ...options };
  try {
    const { values, positionals } = parseArgs({
      args,
      options: Object.fromEntries(
        Object.entries(spec).map(([k, o]) => [
          k,
          { type: o.type, ...(o.short ? { short: o.short } : {}), ...(o.multiple ? { multiple: true } : {}) },
        ]),
      ),
      allowPositionals: true,
      strict: true,
    });
    return { positionals, values: values as Parsed["values"] };
  } catch (error) {
    const message = (error as Error).message.split("\n")[0] ?? "invalid arguments";
    throw new UsageError(
      message.replace(/^Unknown option/, "unknown flag").replace(/\. To specify a positional argument.*$/, ""),
      command,
    );
  }
}

export function str(p: Parsed, key: string): string | undefined {
  const v = p.values[key];
  return typeof v === "string" ? v : undefined;
}

export function bool(p: Parsed, key: string): boolean {
  return p.values[key] === true;
}

/** A non-negative integer flag, or a usage error naming it. */
export function int(p: Parsed, key: string, command: string): number | undefined {
  const v = str(p, key);
  if (v === undefined) return undefined;
  if (!/^\d+$/.test(v)) throw new UsageError(`--${key} must be a whole number, got "${v}"`, command);
  return Number(v);
}

/** "5m", "30s", "1h", "500ms" or plain seconds → milliseconds. */
export function duration(p: Parsed, key: string, command: string): number | undefined {
  const v = str(p, key);
  if (v === undefined) return undefined;
  const m = /^(\d+(?:\.\d+)?)(ms|s|m|h)?$/.exec(v);
  if (!m) throw new UsageError(`--${key} must be a duration like 30s, 5m or 1h, got "${v}"`, command);
  const n = Number(m[1]);
  const unit = m[2] ?? "s";
  return Math.round(n * { ms: 1, s: 1000, m: 60_000, h: 3_600_000 }[unit as "ms" | "s" | "m" | "h"]);
}

/** Exactly `count` positionals, or a usage error naming what is missing / extra. */
export function expectPositionals(p: Parsed, names: string[], command: string, optional = 0): string[] {
  const min = names.length - optional;
  if (p.positionals.length < min) throw new UsageError(`missing ${names[p.positionals.length]}`, command);
  if (p.positionals.length > names.length)
    throw new UsageError(`unexpected argument "${p.positionals[names.length]}"`, command);
  return p.positionals;
}
