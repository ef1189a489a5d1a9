/**
 * Starts the database, migrations and engine once per server process, before the first request.
 * A standby (another process holds the engine's lease) starts serving while it waits: Next holds
 * every request until this resolves, and a standby must still answer (health says "standby").
 * The Kubernetes API (HTTPS, KUBE_API_PORT, default 6443; "off" to skip) starts beside it once
 * the services are up, without holding the console back (server/kube-api/start.ts).
 */
export async function register() {
  if (process.env.NEXT_RUNTIME !== "nodejs") return;
  if (process.env.NEXT_PHASE === "phase-production-build") return;
  const { getServices, untilServingOrWaiting } = await import("./server/runtime");
  await untilServingOrWaiting();
  const { startKubeApi } = await import("./server/kube-api/start");
  void startKubeApi(getServices);
}
