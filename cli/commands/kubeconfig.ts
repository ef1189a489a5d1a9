/** kubeconfig: print (or write) a kubeconfig for the current context's token, for kubectl. */
import { chmod, writeFile } from "node:fs/promises";
import { expectPositionals, parse, str, type OptionSpec } from "../args";
import { resolveContext } from "../config";
import { CliError } from "../errors";
import type { Command } from "./types";

const options: OptionSpec = {
  output: {
    type: "string",
    short: "o",
    value: "FILE",
    description: "Write it to FILE (mode 0600) instead of printing it",
  },
};

export const kubeconfigCommand: Command = {
  name: "kubeconfig",
  summary: "Print a kubeconfig for kubectl that uses this context's API token",
  usage: "cloudctl kubeconfig [--context NAME] [-o FILE]",
  details:
    "The server makes it from the token you are logged in with (POST /api/kubeconfig): the Kubernetes API's address and CA, the token, and the tenant's default namespace. Use it with `kubectl --kubeconfig FILE` or KUBECONFIG=FILE.",
  options,
  async run(args, io) {
    const p = parse(args, options, "kubeconfig");
    expectPositionals(p, [], "kubeconfig");
    const context = await resolveContext(str(p, "context"));
    let response: Response;
    try {
      response = await fetch(`${context.url.replace(/\/+$/, "")}/api/kubeconfig`, {
        method: "POST",
        headers: { authorization: `Bearer ${context.token}` },
      });
    } catch (error) {
      throw new CliError(`cannot reach ${context.url}: ${(error as Error).message}`);
    }
    const text = await response.text();
    if (!response.ok) {
      let message = text;
      try {
        message = (JSON.parse(text) as { error?: { message?: string } }).error?.message ?? text;
      } catch {
        // not JSON: show the text
      }
      throw new CliError(`the server refused the kubeconfig (HTTP ${response.status}): ${message}`);
    }
    const file = str(p, "output");
    if (!file) {
      io.out(text.replace(/\n$/, ""));
      return;
    }
    await writeFile(file, text, { mode: 0o600 });
    await chmod(file, 0o600);
    io.out(`Wrote a kubeconfig for context "${context.name}" to ${file}. Try: kubectl --kubeconfig ${file} get pods`);
  },
};
