/** A usage mistake (unknown command or flag, missing argument): exit code 2 with a hint. */
export class UsageError extends Error {
  override name = "UsageError";
  constructor(
    message: string,
    /** The command whose help to point at ("get", "rollout status"...). */
    readonly command?: string,
  ) {
    super(message);
  }
}

/** A failure the CLI itself detects (bad file, missing login): exit code 1, one line. */
export class CliError extends Error {
  override name = "CliError";
}
