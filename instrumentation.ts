/**
 * Starts the database, migrations and engine once per server process, before the first request.
 * A standby (another process holds the engine's lease) starts serving while it waits: Next holds
 * every request until this resolves, and a standby must still answer (health says "standby").
 */
export async function register() {
  if (process.env.NEXT_RUNTIME !== "nodejs") return;
  const { untilServingOrWaiting } = await import("./server/runtime");
  await untilServingOrWaiting();
}
