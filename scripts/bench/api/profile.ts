/**
 * BENCH_API_PROFILE=<folder>: one V8 CPU profile per operation (`<op>.cpuprofile`, open it in
 * Chrome's DevTools or summarise it with profile-summary.ts), covering that operation only,
 * not the seeding that `node --cpu-prof` would mostly show.
 */
import { mkdirSync, writeFileSync } from "node:fs";
import { Session } from "node:inspector/promises";
import path from "node:path";

export async function profiled<T>(folder: string | undefined, name: string, fn: () => Promise<T>): Promise<T> {
  if (!folder) return fn();
  const session = new Session();
  session.connect();
  await session.post("Profiler.enable");
  await session.post("Profiler.setSamplingInterval", { interval: 200 });
  await session.post("Profiler.start");
  try {
    return await fn();
  } finally {
    const { profile } = await session.post("Profiler.stop");
    mkdirSync(folder, { recursive: true });
    writeFileSync(path.join(folder, `${name}.cpuprofile`), JSON.stringify(profile));
    session.disconnect();
  }
}
