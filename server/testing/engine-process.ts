/**
 * A server process without Next, for tests and benchmarks of the engine's one writer: the very
 * services of server/runtime.ts (database, migrations, lease or data-folder lock, engine),
 * started from the environment as `npm start` does (DATABASE_URL or DATA_DIR), driven through
 * JSON lines. Run as `node --import tsx server/testing/engine-process.ts`.
 *
 * stdin, one command per line:
 *   {"cmd":"health"}                          → {"event":"health", ...engineHealth}
 *   {"cmd":"setQuota","tenant":"t","pods":3}   → {"event":"setQuota","ok":true} or {"ok":false,"error":"…"}
 *   {"cmd":"getQuota","tenant":"t"}            → {"event":"getQuota","ok":true,"pods":3}
 * stdout, besides the answers: {"event":"started"} once the services are up (leading or standing
 * by), {"event":"leader","epoch":n,"at":ms} each time this process's engine starts. Commands go
 * through `services.engine` as requests do, so a standby answers them with its standby error.
 */
import { createInterface } from "node:readline";
import type { Services } from "../services";
import { getServices } from "../runtime";

const say = (line: Record<string, unknown>) => process.stdout.write(`${JSON.stringify(line)}\n`);

const announced = new WeakSet<Services>();
/** Each generation of services (a new one after a lost lease) says when it leads. */
function announce(services: Services): void {
  if (announced.has(services)) return;
  announced.add(services);
  void services.whenLeader().then(() => say({ event: "leader", epoch: services.role().epoch, at: Date.now() }));
}

async function run(command: { cmd?: string; tenant?: string; pods?: number }): Promise<Record<string, unknown>> {
  const services = await getServices();
  announce(services);
  const tenant = command.tenant ?? "t";
  try {
    switch (command.cmd) {
      case "health":
        return { ...services.engineHealth() };
      case "setQuota":
        await services.engine.setQuota(tenant, { pods: command.pods ?? 1 });
        return { ok: true };
      case "getQuota":
        return { ok: true, pods: services.engine.getQuota(tenant).limits.pods ?? null };
      default:
        return { ok: false, error: `unknown command ${command.cmd}` };
    }
  } catch (error) {
    return { ok: false, error: (error as Error).message };
  }
}

const services = await getServices();
announce(services);
say({ event: "started", ...services.engineHealth() });
// One at a time, in order, so answers follow their commands.
let chain = Promise.resolve();
createInterface({ input: process.stdin }).on("line", (line) => {
  chain = chain.then(async () => {
    const command = JSON.parse(line) as { cmd?: string };
    say({ event: command.cmd, ...(await run(command)) });
  });
});
