/**
 * Saved contexts (a server URL and an API token each), like a kubeconfig:
 * $CLOUDCTL_CONFIG, else $XDG_CONFIG_HOME/cloudctl/config.json, else ~/.config/cloudctl/config.json.
 * The file holds secrets: it is written with mode 0600 in a 0700 directory. A context may
 * name a default namespace (`cloudctl config set-context --namespace NS`).
 */
import { chmod, mkdir, readFile, rename, writeFile } from "node:fs/promises";
import { homedir } from "node:os";
import { dirname, join } from "node:path";
import { CliError } from "./errors";

export interface SavedContext {
  url: string;
  token: string;
  tenant?: string;
  user?: string;
  /** The namespace commands act in when no -n is given (kubectl's context namespace); absent: the tenant's default. */
  namespace?: string;
}

export interface CliConfig {
  currentContext?: string;
  contexts: Record<string, SavedContext>;
}

export function configPath(env: NodeJS.ProcessEnv = process.env): string {
  if (env.CLOUDCTL_CONFIG) return env.CLOUDCTL_CONFIG;
  const base = env.XDG_CONFIG_HOME || join(homedir(), ".config");
  return join(base, "cloudctl", "config.json");
}

export async function loadConfig(path = configPath()): Promise<CliConfig> {
  let text: string;
  try {
    text = await readFile(path, "utf8");
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code === "ENOENT") return { contexts: {} };
    throw new CliError(`cannot read ${path}: ${(error as Error).message}`);
  }
  try {
    const parsed = JSON.parse(text) as Partial<CliConfig>;
    return { currentContext: parsed.currentContext, contexts: parsed.contexts ?? {} };
  } catch {
    throw new CliError(`${path} is not valid JSON; fix it or remove it and log in again`);
  }
}

export async function saveConfig(config: CliConfig, path = configPath()): Promise<void> {
  await mkdir(dirname(path), { recursive: true, mode: 0o700 });
  const temp = `${path}.${process.pid}.tmp`;
  await writeFile(temp, `${JSON.stringify(config, null, 2)}\n`, { mode: 0o600 });
  await chmod(temp, 0o600);
  await rename(temp, path);
}

/** The context to use: --context, else the current one; $CLOUDCTL_URL/$CLOUDCTL_TOKEN override. */
export async function resolveContext(
  name: string | undefined,
  env: NodeJS.ProcessEnv = process.env,
): Promise<SavedContext & { name: string }> {
  if (!name && env.CLOUDCTL_URL && env.CLOUDCTL_TOKEN)
    return { name: "(environment)", url: env.CLOUDCTL_URL, token: env.CLOUDCTL_TOKEN };
  const config = await loadConfig(configPath(env));
  const chosen = name ?? config.currentContext;
  if (!chosen) throw new CliError("not logged in: run `cloudctl login --url URL --token TOKEN`");
  const context = config.contexts[chosen];
  if (!context) throw new CliError(`no context named "${chosen}" (see \`cloudctl config get-contexts\`)`);
  return { name: chosen, ...context, url: env.CLOUDCTL_URL || context.url, token: env.CLOUDCTL_TOKEN || context.token };
}
