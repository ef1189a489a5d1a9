/**
 * A simulated runtime with one node and one pod "web" (tenant acme, 10.0.0.10, security group
 * "web" denying tcp 25 by its rule 1, an egress packet-rate cap of 2k) sending SIM_TRAFFIC:
 * 8 Mbit/s of 1,000-byte packets to the internet on 443 (delivered) and on 25 (denied), and one
 * invalid flow. For the runtime's and monitoring's traffic tests.
 */
import type { Pod } from "../../kinds/types";
import { createVirtualClock } from "../../queue/clock";
import { createRng } from "../../queue/rng";
import { createTimerSet } from "../../queue/timers";
import { group, mac, rule, twoTenants } from "../../network/security/security.test-kit";
import { createSimulatedRuntime } from "../simulated-runtime";
import { NO_SERVICES, type TrafficNetwork } from "./traffic-network";

export const TRAFFIC_POD_ID = "p1";

export function trafficWorld(withNetwork = true) {
  const clock = createVirtualClock(0);
  const s = twoTenants();
  s.setGroups("acme", [
    group("web", {
      podSelector: { matchLabels: { app: "web" } },
      egressRules: [
        rule({ protocol: "all" }),
        rule({ action: "deny", portRangeMin: 25, portRangeMax: 25, priority: 1 }),
      ],
    }),
  ]);
  s.addPod("acme", { namespace: "prod", podName: "web", ip: "10.0.0.10", mac: mac(), labels: { app: "web" } });
  const network: TrafficNetwork = { security: s, services: NO_SERVICES };
  const events: { reason: string; message: string }[] = [];
  const rt = createSimulatedRuntime({ pullMs: 1000, startMs: 100 });
  rt.attach({
    clock,
    timers: createTimerSet(clock),
    rng: createRng(1),
    sink: {
      podStatus: () => undefined,
      podEvent: (_id, _type, reason, message) => events.push({ reason, message }),
      heartbeat: () => undefined,
    },
    ...(withNetwork ? { network } : {}),
  });
  rt.startNode({ id: "n1", capacity: { cpuMillis: 4000, memoryBytes: 2 ** 33, pods: 110 } } as never);
  const pod = {
    id: TRAFFIC_POD_ID,
    tenantId: "acme",
    namespace: "prod",
    name: "web",
    nodeId: "n1",
    podIP: "10.0.0.10",
    labels: { app: "web" },
    annotations: { "cloud.tenant.io/egress-packet-rate": "2k" },
    spec: {
      restartPolicy: "Always",
      terminationGracePeriodSeconds: 30,
      nodeSelector: {},
      containers: [
        {
          name: "app",
          image: "nginx:1.27",
          env: [
            {
              name: "SIM_TRAFFIC",
              value: "to=internet;port=443;rate=8M;size=1000|to=internet;port=25;rate=8M;size=1000|to=mars;rate=1",
            },
          ],
          ports: [],
          resources: { requests: { cpu: "100m", memory: "64Mi" }, limits: {} },
        },
      ],
    },
    status: { phase: "Pending", conditions: [], containerStatuses: [] },
  } as unknown as Pod;
  rt.runPod(pod);
  clock.advance(10_000);
  return { rt, clock, events };
}
