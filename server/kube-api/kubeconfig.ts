/**
 * A kubeconfig for one API token: the server URL (KUBE_API_URL, else https://localhost:<port>),
 * the CA clients must trust (the kept CA, or KUBE_API_TLS_CA_FILE / the operator's
 * certificate), the token, and the tenant's default namespace (its first, for operators
 * "default").
 */
import { readFileSync } from "node:fs";
import { stringify } from "yaml";
import type { Database } from "@/db/client";
import type { Orchestrator } from "../engine";
import type { Caller } from "./auth";
import { loadOrCreateCa } from "./http/tls";
import { DEFAULT_KUBE_API_PORT, kubeApiPort } from "./start";

export interface KubeconfigInput {
  server: string;
  caPem: string;
  token: string;
  /** Names the cluster, user and context. */
  name: string;
  namespace?: string;
}

export function buildKubeconfig(i: KubeconfigInput): string {
  const cluster = `tenant-cloud-${i.name}`;
  return stringify({
    apiVersion: "v1",
    kind: "Config",
    clusters: [
      {
        name: cluster,
        cluster: { server: i.server, "certificate-authority-data": Buffer.from(i.caPem).toString("base64") },
      },
    ],
    users: [{ name: cluster, user: { token: i.token } }],
    contexts: [
      { name: cluster, context: { cluster, user: cluster, ...(i.namespace ? { namespace: i.namespace } : {}) } },
    ],
    "current-context": cluster,
    preferences: {},
  });
}

export function kubeApiUrl(env: Record<string, string | undefined> = process.env): string {
  if (env.KUBE_API_URL) return env.KUBE_API_URL.replace(/\/+$/, "");
  return `https://localhost:${kubeApiPort(env) ?? DEFAULT_KUBE_API_PORT}`;
}

/** The PEM kubeconfigs carry. */
export async function kubeApiCaPem(
  db: Database,
  env: Record<string, string | undefined> = process.env,
): Promise<string> {
  if (env.KUBE_API_TLS_CA_FILE) return readFileSync(env.KUBE_API_TLS_CA_FILE, "utf8");
  if (env.KUBE_API_TLS_CERT_FILE) return readFileSync(env.KUBE_API_TLS_CERT_FILE, "utf8");
  return (await loadOrCreateCa(db)).cert;
}

/** The caller's default namespace: the tenant's default one, else its first by name. */
export function defaultNamespace(engine: Orchestrator, caller: Caller): string {
  if (caller.scope === "operator") return "default";
  let first: string | undefined;
  for (const ns of engine.eachObject("Namespace")) {
    if (ns.tenantId !== caller.tenantId) continue;
    if (ns.tenantDefault) return ns.name;
    if (first === undefined || ns.name < first) first = ns.name;
  }
  return first ?? "default";
}

export async function kubeconfigFor(
  db: Database,
  engine: Orchestrator,
  caller: Caller,
  token: string,
  slug: string,
): Promise<string> {
  return buildKubeconfig({
    server: kubeApiUrl(),
    caPem: await kubeApiCaPem(db),
    token,
    name: slug,
    namespace: defaultNamespace(engine, caller),
  });
}
