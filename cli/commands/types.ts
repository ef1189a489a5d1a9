/** A CLI command: its help text, its flags, and what it does. */
import type { OptionSpec } from "../args";

export interface Io {
  out(text: string): void;
  err(text: string): void;
  readStdin(): Promise<string>;
  /** Ends watching commands (`get -w`, `logs -f`); absent: Ctrl-C (SIGINT) does. */
  stop?: AbortSignal;
}

/** The signal that ends a watching command: the Io's, else the first SIGINT. */
export function stopSignal(io: Io): AbortSignal {
  if (io.stop) return io.stop;
  const abort = new AbortController();
  process.once("SIGINT", () => abort.abort());
  return abort.signal;
}

export interface Command {
  name: string;
  summary: string;
  /** One or more usage lines. */
  usage: string;
  options: OptionSpec;
  /** More words shown by --help. */
  details?: string;
  /**
   * What real kubectl does for it, for commands on Kubernetes objects that kubectl now does at least as well
   * (shown by --help); absent: the console's own (login, contexts, kubeconfig, bill), which kubectl cannot do.
   */
  kubectl?: string;
  /** Returns the exit code (0 when omitted). */
  run(args: string[], io: Io): Promise<number | void>;
}
