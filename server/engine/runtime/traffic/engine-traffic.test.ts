/**
 * The traffic model over the engine's real tables, wired as the lead wires it (bootstrap's
 * attachRuntime gives the runtime `network`): a pod's flow to a Service reaches its endpoint,
 * a SecurityGroup's deny rule drops a flow under that rule and its allow rule is credited with what
 * it admitted, as monitoring reads them.
 */
import { describe, expect, it } from "vitest";
import { createEngine } from "../../api/engine";
import type { Pod } from "../../kinds/types";
import { createVirtualClock } from "../../queue/clock";
import { createRng } from "../../queue/rng";
import { createMemoryStore } from "../../store/store";
import { livePods } from "../../test-kit";
import type { RuntimePort } from "../runtime";
import { createSimulatedRuntime } from "../simulated-runtime";
import { forwardingOf } from "./traffic-network";

const T = "tenant-a";

describe("traffic over the engine's tables", () => {
  it("delivers to a service's endpoint and drops by a group's deny rule", async () => {
    const clock = createVirtualClock(Date.UTC(2026, 0, 1));
    const inner = createSimulatedRuntime();
    let engineRef: ReturnType<typeof createEngine> | undefined;
    // What the wiring line does: the runtime's context carries the engine's network.
    const runtime: RuntimePort = {
      ...inner,
      attach(ctx) {
        const core = engineRef?.internals.ctx;
        if (!core) throw new Error("engine not built");
        inner.attach({
          ...ctx,
          network: { security: core.securityState, services: forwardingOf(() => core.serviceNetwork.tables) },
        });
      },
    };
    const engine = createEngine({ store: createMemoryStore(), clock, rng: createRng(7), runtime });
    engineRef = engine;
    await engine.start();
    await engine.ensureTenantNamespace(T, "acme");
    await engine.createNodePool(T, { name: "pool", machineType: "4c8g", minSize: 1, maxSize: 1 });
    await engine.settle();
    const container = (name: string, env: { name: string; value: string }[] = []) => ({
      name,
      image: "nginx:1.27",
      env,
      ports: [{ name: "http", containerPort: 80 }],
      resources: { requests: { cpu: "100m", memory: "64Mi" } },
    });
    await engine.createDeployment(T, {
      name: "db",
      replicas: 1,
      template: { labels: { app: "db" }, spec: { containers: [container("db")] } },
    });
    await engine.runFor(10_000);
    const db = livePods(engine, T, "db")[0] as Pod;
    await engine.createDeployment(T, {
      name: "client",
      replicas: 1,
      template: {
        labels: { app: "client" },
        spec: {
          containers: [
            container("client", [
              {
                name: "SIM_TRAFFIC",
                value: `to=svc/db;port=80;rate=8M;size=1000|to=svc/db;port=80;proto=udp;rate=1M|to=pod/${db.name};port=8080;rate=8M;size=1000`,
              },
            ]),
          ],
        },
      },
    });
    await engine.createService(T, { name: "db", spec: { selector: { app: "db" }, ports: [{ port: 80 }] } });
    // db admits tcp 80 from the tenant's network but denies 8080 explicitly (its rule 1).
    await engine.createSecurityGroup(T, {
      name: "db-sg",
      spec: {
        podSelector: { matchLabels: { app: "db" } },
        ingressRules: [
          {
            protocol: "tcp",
            action: "allow",
            priority: 100,
            portRangeMin: 80,
            portRangeMax: 80,
            remoteAddress: "10.0.0.0/16",
          },
          {
            protocol: "tcp",
            action: "deny",
            priority: 10,
            portRangeMin: 8080,
            portRangeMax: 8080,
            remoteAddress: "0.0.0.0/0",
          },
        ],
      },
    });
    await engine.runFor(30_000);
    const client = livePods(engine, T, "client")[0] as Pod;
    expect(client.podIP).toBeDefined();
    const sent = inner.traffic?.(client.id);
    // 80 reaches db; 8080 leaves the client too and is dropped at db's port.
    expect(sent?.tx.bitsPerSecond).toBeCloseTo(16e6);
    // UDP 80 is not a port of the service: no route.
    expect(sent?.drops.map((d) => d.reason)).toEqual(["no-route"]);
    const received = inner.traffic?.(db.id);
    expect(received?.rx.bitsPerSecond).toBeCloseTo(8e6);
    expect(received?.drops).toEqual([
      {
        direction: "ingress",
        reason: "ingress-denied",
        group: "db-sg",
        rule: 1,
        packetsPerSecond: 1000,
        bytesPerSecond: 1e6,
      },
    ]);
    // What db's rule 0 admitted, as db received it; the client has no groups, so nothing of its own admits.
    expect(received?.ruleHits).toEqual([
      { direction: "ingress", group: "db-sg", rule: 0, packetsPerSecond: 1000, bytesPerSecond: 1e6 },
    ]);
    expect(sent?.ruleHits).toEqual([]);
  });
});
