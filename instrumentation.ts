/** Starts the database, migrations and engine once per server process, before the first request. */
export async function register() {
  if (process.env.NEXT_RUNTIME !== "nodejs") return;
  const { getServices } = await import("./server/runtime");
  await getServices();
}
