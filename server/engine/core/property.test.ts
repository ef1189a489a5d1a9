/**
 * Property: whatever sequence of tenant and operator actions happens, once the actions
 * stop (and failed nodes come back) the engine converges to exactly the desired state,
 * including across control-plane crashes (restart from the committed store snapshot).
 */
import fc from "fast-check";
import { describe, expect, it } from "vitest";
import { EngineError } from "./errors";
import { livePods, startHarness, webDeployment } from "../test-kit";

const T = "t";
const NAMES = ["a", "b", "c"] as const;
const IMAGES = ["nginx:1.25", "nginx:1.26", "nginx:1.27"] as const;

type Action =
  | { t: "create"; d: number; replicas: number; image: number }
  | { t: "scale"; d: number; replicas: number }
  | { t: "update"; d: number; image: number }
  | { t: "rollback"; d: number }
  | { t: "delete"; d: number }
  | { t: "drain"; n: number }
  | { t: "fail"; n: number }
  | { t: "restart"; d: number }
  | { t: "crash" };

const d = fc.integer({ min: 0, max: 2 });
const action: fc.Arbitrary<Action> = fc.oneof(
  fc.record({
    t: fc.constant("create" as const),
    d,
    replicas: fc.integer({ min: 0, max: 8 }),
    image: fc.integer({ min: 0, max: 2 }),
  }),
  fc.record({ t: fc.constant("scale" as const), d, replicas: fc.integer({ min: 0, max: 10 }) }),
  fc.record({ t: fc.constant("update" as const), d, image: fc.integer({ min: 0, max: 2 }) }),
  fc.record({ t: fc.constant("rollback" as const), d }),
  fc.record({ t: fc.constant("delete" as const), d }),
  fc.record({ t: fc.constant("drain" as const), n: fc.integer({ min: 0, max: 5 }) }),
  fc.record({ t: fc.constant("fail" as const), n: fc.integer({ min: 0, max: 5 }) }),
  fc.record({ t: fc.constant("restart" as const), d }),
  fc.constant({ t: "crash" as const }),
);
const step = fc.tuple(action, fc.integer({ min: 0, max: 90_000 }));

describe("convergence property", () => {
  it("random create/scale/update/rollback/restart/delete/drain/node-failure/crash sequences converge to the desired state", async () => {
    await fc.assert(
      fc.asyncProperty(
        fc.array(step, { minLength: 1, maxLength: 12 }),
        fc.integer({ min: 1, max: 1_000_000 }),
        async (steps, seed) => {
          let h = await startHarness({ seed });
          let e = h.engine;
          await e.createNodePool(T, {
            name: "p",
            machineType: "4c8g",
            minSize: 3,
            maxSize: 10,
            trimmedImage: true,
            staticIp: true,
          });
          await e.settle();
          const failed = new Set<string>();
          for (const [a, wait] of steps) {
            const nodes = e.listNodes(T).items;
            const node = "n" in a ? nodes[a.n % Math.max(1, nodes.length)] : undefined;
            const name: string = ("d" in a ? NAMES[a.d] : undefined) ?? "a";
            try {
              if (a.t === "create")
                await e.createDeployment(T, webDeployment(name, a.replicas, IMAGES[a.image] ?? "nginx"));
              else if (a.t === "scale") await e.scaleDeployment(T, name, a.replicas);
              else if (a.t === "update")
                await e.updateDeployment(T, name, {
                  template: webDeployment(name, 1, IMAGES[a.image] ?? "nginx").template,
                });
              else if (a.t === "rollback") await e.rollbackDeployment(T, name);
              else if (a.t === "delete") await e.deleteDeployment(T, name);
              else if (a.t === "restart") await e.restartDeployment(T, name);
              else if (a.t === "crash") {
                // control-plane crash: a new engine starts from what the store committed
                await e.stop();
                h = await startHarness({ snapshot: h.store.snapshot(), startMs: h.clock.now(), seed: seed + 1 });
                e = h.engine;
              } else if (a.t === "drain" && node) await e.drainNode(T, node.id);
              else if (a.t === "fail" && node) {
                await e.injectNodeFailure(node.id);
                failed.add(node.id);
              }
            } catch (err) {
              if (!(err instanceof EngineError) || !["NOT_FOUND", "CONFLICT"].includes(err.code)) throw err;
            }
            await e.runFor(wait);
          }
          for (const id of failed) if (e.listNodes(T).items.some((n) => n.id === id)) await e.recoverNode(id);
          for (const n of e.listNodes(T).items) if (n.unschedulable) await e.uncordonNode(T, n.id);
          const r = await e.settle(6 * 3_600_000);
          expect(r.idle).toBe(true);
          // desired state reached, exactly
          const byDeployment = new Map<string, number>();
          for (const p of e.listPods(T, { limit: 1000 }).items) {
            expect(p.deletionTimestamp).toBeUndefined();
            expect(p.status.phase).toBe("Running");
            expect(e.getNode(T, p.nodeId ?? "").phase).toBe("Ready");
            byDeployment.set(p.deploymentId ?? "", (byDeployment.get(p.deploymentId ?? "") ?? 0) + 1);
          }
          for (const dep of e.listDeployments(T).items) {
            const pods = livePods(e, T, dep.name);
            expect(pods.length).toBe(dep.spec.replicas);
            expect(pods.every((p) => p.spec.containers[0]?.image === dep.spec.template.spec.containers[0]?.image)).toBe(
              true,
            );
            expect(e.listRevisions(T, dep.name).filter((r) => r.replicas > 0).length).toBeLessThanOrEqual(1);
            expect(dep.status).toMatchObject({
              replicas: dep.spec.replicas,
              availableReplicas: dep.spec.replicas,
              updatedReplicas: dep.spec.replicas,
              observedGeneration: dep.generation,
            });
            byDeployment.delete(dep.id);
          }
          expect([...byDeployment.keys()]).toEqual([]); // no pods of deleted deployments
          expect(e.stats().nodesByPhase.NotReady).toBe(0);
          await e.stop();
        },
      ),
      { numRuns: 30, seed: 20261126 },
    );
  }, 120_000);
});
