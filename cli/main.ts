/**
 * cloudctl: a kubectl-shaped CLI over the typed client.
 * Exit codes: 0 success, 1 an error (one line on stderr), 2 a usage mistake (with a hint).
 */
import { isCloudError } from "../client/index";
import { globalOptions, type OptionSpec } from "./args";
import { applyCommand, createCommand, deleteCommand } from "./commands/write";
import { billCommand, configCommand, loginCommand } from "./commands/account";
import { checkCommand } from "./commands/check";
import { rolloutCommand, scaleCommand } from "./commands/deployments";
import { getCommand } from "./commands/get";
import { describeCommand, logsCommand, topCommand } from "./commands/inspect";
import { kubeconfigCommand } from "./commands/kubeconfig";
import { cordonCommand, drainCommand, uncordonCommand } from "./commands/nodes";
import type { Command, Io } from "./commands/types";
import { CliError, UsageError } from "./errors";

export const commands: Command[] = [
  loginCommand,
  configCommand,
  kubeconfigCommand,
  billCommand,
  checkCommand,
  getCommand,
  describeCommand,
  createCommand,
  applyCommand,
  deleteCommand,
  scaleCommand,
  rolloutCommand,
  drainCommand,
  cordonCommand,
  uncordonCommand,
  topCommand,
  logsCommand,
];

/** The commands kubectl cannot do (the console's own), then those that real kubectl now does as well or better. */
export function mainHelp(): string {
  const width = Math.max(...commands.map((c) => c.name.length)) + 2;
  const line = (c: Command) => `  ${c.name.padEnd(width)}${c.summary}`;
  return [
    "cloudctl controls your tenant of the container cloud: what only the console has (logins, contexts,",
    "kubeconfigs, bills), and a kubectl-shaped view of your objects. Real kubectl works against the console",
    "too: `cloudctl kubeconfig -o FILE`, then `kubectl --kubeconfig FILE get pods`.",
    "",
    "Console commands (kubectl has no equivalent):",
    ...commands.filter((c) => !c.kubectl).map(line),
    "",
    "Object commands (kubectl now does these as well or better, as shown under each; kept for existing scripts):",
    ...commands.filter((c) => c.kubectl).flatMap((c) => [line(c), `  ${"".padEnd(width)}${firstLine(c.kubectl)}`]),
    "",
    "Console-only parts of those: get invoices; create quota, apply -f of a ResourceQuota or NodePool, delete",
    "quota|nodepool (the Kubernetes API serves quotas and node pools read-only).",
    "",
    "Global flags:",
    ...optionLines(globalOptions),
    "",
    "Start with: cloudctl login --url URL --token TOKEN",
    "Use `cloudctl COMMAND --help` for a command's flags.",
  ].join("\n");
}

const firstLine = (text: string | undefined) => (text ?? "").split("\n")[0] ?? "";

function optionLines(options: OptionSpec): string[] {
  const rows = Object.entries(options).map(([name, o]) => [
    `${o.short ? `-${o.short}, ` : "    "}--${name}${o.type === "string" ? ` ${o.value ?? "VALUE"}` : ""}`,
    o.description ?? "",
  ]);
  const width = Math.max(0, ...rows.map((r) => r[0]!.length)) + 2;
  return rows.map(([flag, text]) => `  ${flag!.padEnd(width)}${text}`);
}

export function commandHelp(c: Command): string {
  return [
    `${c.summary}.`,
    "",
    `Usage: ${c.usage}`,
    ...(c.details ? ["", c.details] : []),
    ...(c.kubectl
      ? [
          "",
          "With real kubectl (cloudctl kubeconfig -o FILE; kubectl --kubeconfig FILE ...):",
          ...c.kubectl.split("\n").map((l) => `  ${l}`),
        ]
      : []),
    ...(Object.keys(c.options).length ? ["", "Flags:", ...optionLines(c.options)] : []),
    "",
    "Global flags:",
    ...optionLines(globalOptions),
  ].join("\n");
}

export async function run(argv: string[], io: Io): Promise<number> {
  const [name, ...args] = argv;
  if (!name || name === "--help" || name === "-h" || name === "help") {
    if (name === "help" && args[0]) return run([args[0], "--help"], io);
    io.out(mainHelp());
    return name ? 0 : 2;
  }
  if (name === "--version" || name === "version") {
    io.out("cloudctl 0.1.0");
    return 0;
  }
  const command = commands.find((c) => c.name === name);
  if (!command) {
    io.err(`error: unknown command "${name}"`);
    io.err("Run 'cloudctl --help' for the list of commands.");
    return 2;
  }
  if (args.includes("--help") || args.includes("-h")) {
    io.out(commandHelp(command));
    return 0;
  }
  try {
    return (await command.run(args, io)) ?? 0;
  } catch (error) {
    if (error instanceof UsageError) {
      io.err(`error: ${error.message}`);
      const c = commands.find((x) => x.name === error.command) ?? command;
      io.err(`Usage: ${c.usage}`);
      io.err(`Run 'cloudctl ${c.name} --help' for more.`);
      return 2;
    }
    io.err(`error: ${errorLine(error)}`);
    return 1;
  }
}

/** One line for any failure: the server's message (with the precise reason when it adds something). */
export function errorLine(error: unknown): string {
  if (isCloudError(error)) {
    if (
      error.code === "NETWORK" ||
      error.code === "BAD_RESPONSE" ||
      error.code === "TIMEOUT" ||
      error.code === "ROLLOUT_FAILED"
    )
      return error.message;
    if (error.reason === "QUOTA_EXCEEDED") return `${error.message} (QUOTA_EXCEEDED)`;
    return error.message;
  }
  if (error instanceof CliError) return error.message;
  if (error instanceof Error) return error.message.split("\n")[0] ?? String(error);
  return String(error);
}

const processIo: Io = {
  out: (text) => void process.stdout.write(`${text}\n`),
  err: (text) => void process.stderr.write(`${text}\n`),
  async readStdin() {
    const chunks: Buffer[] = [];
    for await (const chunk of process.stdin) chunks.push(chunk as Buffer);
    return Buffer.concat(chunks).toString("utf8");
  },
};

/** Runs cloudctl and exits (entry: cli/index.ts, bundled to dist/cli/cloudctl.js). */
export async function main(argv = process.argv.slice(2)): Promise<void> {
  const code = await run(argv, processIo);
  process.exitCode = code;
  // Let stdout drain, then leave even if a watch left timers behind.
  process.stdout.write("", () => process.exit(code));
}
