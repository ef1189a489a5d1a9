/**
 * Starting the Kubernetes API beside the console, once per server process (instrumentation.ts).
 *
 * KUBE_API_PORT: the HTTPS port (default 6443; "off", "false", "0" or "none" = not served).
 * KUBE_API_BIND: the address to listen on (default: all). TLS as http/tls.ts says.
 * Kept on globalThis: instrumentation and route bundles are separate, and a dev reload must
 * not bind the port twice.
 */
import type { Services } from "../services";
import { createKubeHandler } from "./handler";
import { type KubeListener, peerOf, startKubeListener } from "./http/listener";
import { loadTlsMaterial } from "./http/tls";

export const DEFAULT_KUBE_API_PORT = 6443;

/** The port to serve on, or null when the API is switched off. */
export function kubeApiPort(env: Record<string, string | undefined> = process.env): number | null {
  const raw = (env.KUBE_API_PORT ?? "").trim().toLowerCase();
  if (raw === "") return DEFAULT_KUBE_API_PORT;
  if (["off", "false", "0", "none", "no", "disabled"].includes(raw)) return null;
  const port = Number(raw);
  if (!Number.isInteger(port) || port < 1 || port > 65535)
    throw new Error(`KUBE_API_PORT must be a port number or "off", not "${env.KUBE_API_PORT}"`);
  return port;
}

const globalKey = Symbol.for("tenant-cloud.kube-api.listener");
type GlobalWithListener = typeof globalThis & { [globalKey]?: Promise<KubeListener | null> };

/** Starts the listener once (later calls answer the same one); null when switched off. */
export function startKubeApi(getServices: () => Promise<Services>): Promise<KubeListener | null> {
  const g = globalThis as GlobalWithListener;
  g[globalKey] ??= (async () => {
    const port = kubeApiPort();
    if (port === null) return null;
    const services = await getServices();
    const tls = await loadTlsMaterial(services.db);
    const handler = createKubeHandler({ getServices, clientAddress: peerOf });
    const listener = await startKubeListener(handler, tls, { port, host: process.env.KUBE_API_BIND || undefined });
    console.log(`[tenant-cloud] Kubernetes API listening on https://localhost:${listener.port}`);
    return listener;
  })().catch((error: unknown) => {
    console.error("[tenant-cloud] the Kubernetes API could not start:", error);
    return null;
  });
  return g[globalKey];
}
