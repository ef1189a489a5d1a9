/** Small builders for the forwarding tests: services and pods in their plain-data forms. */
import type { EndpointPod } from "./endpoint-slices";
import { defaultServiceSpec, type ServiceLike, type ServiceSpecInput } from "./service";

export function service(
  name: string,
  spec: ServiceSpecInput,
  extra: { namespace?: string; publicIp?: string; labels?: Record<string, string> } = {},
): ServiceLike {
  return {
    namespace: extra.namespace ?? "shop",
    name,
    id: `uid-${name}`,
    ...(extra.labels ? { labels: extra.labels } : {}),
    spec: defaultServiceSpec(spec),
    ...(extra.publicIp ? { status: { loadBalancer: { ingress: [{ ip: extra.publicIp }] } } } : {}),
  };
}

export function pod(name: string, podIP: string | undefined, extra: Partial<EndpointPod> = {}): EndpointPod {
  return {
    uid: `uid-${name}`,
    name,
    namespace: "shop",
    labels: { app: "web" },
    ...(podIP ? { podIP } : {}),
    ready: true,
    terminating: false,
    phase: "Running",
    restartPolicy: "Always",
    nodeName: "node-1",
    containerPorts: [{ name: "http", containerPort: 8080, protocol: "TCP" }],
    ...extra,
  };
}
