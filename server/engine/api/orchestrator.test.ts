/**
 * The engine serves the orchestrator port: createEngine's result is an `Orchestrator` (checked
 * by the compiler here), and the port's reads that replaced `internals` answer as the cache does.
 */
import { describe, expect, it } from "vitest";
import { startHarness, webDeployment } from "../test-kit";
import type { Engine } from "./engine";
import type { Orchestrator } from "./orchestrator";

/**
 * Every member of the engine is on the port, except its internals (for engine tests): a
 * method added to createEngine and not to the port fails to compile here, naming it.
 */
type Unported = Exclude<keyof Engine, keyof Orchestrator | "internals">;
const everyMemberPorted: [Unported] extends [never] ? true : Unported = true;

/** The engine, seen through the port only (the compiler checks that it serves every member). */
async function orchestrator(): Promise<Orchestrator> {
  const { engine } = await startHarness();
  return engine;
}

describe("the orchestrator port", () => {
  it("covers the whole engine but its internals", () => {
    expect(everyMemberPorted).toBe(true);
  });

  it("reports whether the engine runs", async () => {
    const o = await orchestrator();
    expect(o.isRunning()).toBe(true);
    await o.stop();
    expect(o.isRunning()).toBe(false);
  });

  it("walks every object of a kind across tenants", async () => {
    const o = await orchestrator();
    await o.createNodePool("t1", { name: "default", machineType: "4c8g", minSize: 1, maxSize: 2 });
    await o.createNodePool("t2", { name: "default", machineType: "4c8g", minSize: 1, maxSize: 2 });
    await o.createDeployment("t1", webDeployment("web", 2));
    await o.createDeployment("t2", webDeployment("web", 1));
    await o.settle();
    const pods = [...o.eachObject("Pod")];
    expect(pods.map((p) => p.tenantId).sort()).toEqual(["t1", "t1", "t2"]);
    expect(pods.every((p) => p.kind === "Pod")).toBe(true);
    expect([...o.eachObject("Node")]).toHaveLength(o.stats().nodes);
  });
});
