import { describe, expect, it } from "vitest";
import type { CreateDeploymentInput } from "../api/deployment-commands";
import { startHarness } from "../test-kit";
import { toKubernetes } from "./registry";
import type { PodTemplate } from "./types";
import { type PodTemplateInput, parseInput, podTemplateSchema } from "./validation";

const T = "tenant-a";

/** The nginx Deployment of the Kubernetes docs, with what people add to it from the docs' other pages. */
function docsDeployment(): CreateDeploymentInput {
  return {
    name: "nginx-deployment",
    replicas: 3,
    selector: { matchLabels: { app: "nginx" } },
    template: {
      labels: { app: "nginx" },
      spec: {
        containers: [
          {
            name: "nginx",
            image: "nginx:1.14.2",
            args: ["-g", "daemon off;"],
            ports: [{ name: "http", containerPort: 80 }],
            env: [
              { name: "DB_PASSWORD", valueFrom: { secretKeyRef: { name: "db", key: "password" } } },
              { name: "POD_NAME", valueFrom: { fieldRef: { fieldPath: "metadata.name" } } },
              { name: "CPU_LIMIT", valueFrom: { resourceFieldRef: { resource: "limits.cpu" } } },
              { name: "GREETING", value: "hello" },
            ],
            envFrom: [{ configMapRef: { name: "nginx-env" }, prefix: "CFG_" }],
            readinessProbe: { httpGet: { path: "/", port: "http" }, initialDelaySeconds: 5, periodSeconds: 5 },
            livenessProbe: { tcpSocket: { port: 80 }, initialDelaySeconds: 15, periodSeconds: 20 },
            startupProbe: { httpGet: { path: "/healthz", port: 80 }, failureThreshold: 30, periodSeconds: 10 },
            volumeMounts: [
              { name: "config", mountPath: "/etc/nginx/conf.d", readOnly: true },
              { name: "cache", mountPath: "/var/cache/nginx" },
            ],
            securityContext: { allowPrivilegeEscalation: false, capabilities: { drop: ["ALL"] } },
            resources: { requests: { cpu: "250m", memory: "64Mi" }, limits: { cpu: "500m", memory: "128Mi" } },
            unmodelled: { lifecycle: { preStop: { exec: { command: ["nginx", "-s", "quit"] } } } },
          },
        ],
        volumes: [
          { name: "config", configMap: { name: "nginx-conf", items: [{ key: "default.conf", path: "default.conf" }] } },
          { name: "cache", emptyDir: {} },
          { name: "tls", secret: { secretName: "nginx-tls", optional: true } },
        ],
        securityContext: { runAsNonRoot: true, fsGroup: 101 },
        unmodelled: { serviceAccountName: "web", tolerations: [{ key: "dedicated", operator: "Exists" }] },
      },
    },
  };
}

/** What the API layer does with a template it reads back: drop the fields it shows with fixed values. */
// biome-ignore lint/suspicious/noExplicitAny: the wire shape is walked freely.
function templateInputFromKube(t: any): PodTemplateInput {
  const { dnsPolicy, schedulerName, ...spec } = t.spec;
  expect(dnsPolicy).toBe("ClusterFirst");
  expect(schedulerName).toBe("default-scheduler");
  // Fields not modelled come back in the pod spec and in each container: the API layer bags them again.
  const { serviceAccountName, tolerations, ...modelled } = spec;
  return {
    labels: t.metadata.labels,
    ...(t.metadata.annotations ? { annotations: t.metadata.annotations } : {}),
    spec: {
      ...modelled,
      // biome-ignore lint/suspicious/noExplicitAny: as above.
      containers: spec.containers.map(({ lifecycle, ...c }: any) => ({
        ...c,
        ...(lifecycle ? { unmodelled: { lifecycle } } : {}),
      })),
      unmodelled: { serviceAccountName, tolerations },
    },
  };
}

describe("pod specs as the Kubernetes docs write them", () => {
  it("are kept, shown in Kubernetes' shape with its defaults, and re-applying the output changes nothing", async () => {
    const h = await startHarness();
    await h.engine.createDeployment(T, docsDeployment());
    await h.engine.settle();
    const d = h.engine.getDeployment(T, "nginx-deployment");
    // biome-ignore lint/suspicious/noExplicitAny: the wire shape is walked freely.
    const k: any = toKubernetes(d, h.engine.internals.ctx.state);
    const spec = k.spec.template.spec;
    expect(spec.containers[0]).toEqual({
      name: "nginx",
      image: "nginx:1.14.2",
      args: ["-g", "daemon off;"],
      env: [
        { name: "DB_PASSWORD", valueFrom: { secretKeyRef: { name: "db", key: "password" } } },
        { name: "POD_NAME", valueFrom: { fieldRef: { apiVersion: "v1", fieldPath: "metadata.name" } } },
        { name: "CPU_LIMIT", valueFrom: { resourceFieldRef: { resource: "limits.cpu", divisor: "0" } } },
        { name: "GREETING", value: "hello" },
      ],
      envFrom: [{ configMapRef: { name: "nginx-env" }, prefix: "CFG_" }],
      ports: [{ name: "http", containerPort: 80, protocol: "TCP" }],
      resources: { requests: { cpu: "250m", memory: "64Mi" }, limits: { cpu: "500m", memory: "128Mi" } },
      volumeMounts: [
        { name: "config", mountPath: "/etc/nginx/conf.d", readOnly: true },
        { name: "cache", mountPath: "/var/cache/nginx" },
      ],
      readinessProbe: {
        httpGet: { path: "/", port: "http", scheme: "HTTP" },
        initialDelaySeconds: 5,
        timeoutSeconds: 1,
        periodSeconds: 5,
        successThreshold: 1,
        failureThreshold: 3,
      },
      livenessProbe: {
        tcpSocket: { port: 80 },
        initialDelaySeconds: 15,
        timeoutSeconds: 1,
        periodSeconds: 20,
        successThreshold: 1,
        failureThreshold: 3,
      },
      startupProbe: {
        httpGet: { path: "/healthz", port: 80, scheme: "HTTP" },
        timeoutSeconds: 1,
        periodSeconds: 10,
        successThreshold: 1,
        failureThreshold: 30,
      },
      securityContext: { allowPrivilegeEscalation: false, capabilities: { drop: ["ALL"] } },
      imagePullPolicy: "IfNotPresent",
      terminationMessagePath: "/dev/termination-log",
      terminationMessagePolicy: "File",
      lifecycle: { preStop: { exec: { command: ["nginx", "-s", "quit"] } } },
    });
    expect(spec.volumes).toEqual([
      {
        name: "config",
        configMap: { name: "nginx-conf", items: [{ key: "default.conf", path: "default.conf" }], defaultMode: 420 },
      },
      { name: "cache", emptyDir: {} },
      { name: "tls", secret: { secretName: "nginx-tls", defaultMode: 420, optional: true } },
    ]);
    expect(spec.securityContext).toEqual({ runAsNonRoot: true, fsGroup: 101 });
    expect(spec.serviceAccountName).toBe("web");
    expect(spec.tolerations).toEqual([{ key: "dedicated", operator: "Exists" }]);
    expect(k.spec.strategy).toEqual({
      type: "RollingUpdate",
      rollingUpdate: { maxSurge: "25%", maxUnavailable: "25%" },
    });

    // Re-applying what was shown: the same template (same pod-template-hash), so no new revision.
    const again = templateInputFromKube(k.spec.template);
    const parsed = parseInput(podTemplateSchema, again, "spec.template") as PodTemplate;
    expect(parsed).toEqual(d.spec.template);
    await h.engine.updateDeployment(T, "nginx-deployment", { template: again });
    await h.engine.settle();
    expect(h.engine.listRevisions(T, "nginx-deployment").map((r) => r.revision)).toEqual([1]);

    // Pods hold their replica set's template spec, not a copy (memory: 150,000 pods).
    const rs = h.engine.internals.ctx.state.replicaSetsOf(d.id)[0];
    const pods = h.engine.listPods(T, { deployment: "nginx-deployment" }).items;
    expect(pods.length).toBe(3);
    for (const p of pods) expect(p.spec).toBe(rs?.template.spec);
    // biome-ignore lint/suspicious/noExplicitAny: as above.
    const pk: any = toKubernetes(pods[0] as never, h.engine.internals.ctx.state);
    expect(pk.spec.containers[0].readinessProbe.httpGet.port).toBe("http");
    expect(pk.spec.serviceAccountName).toBe("web");
  });

  it("keeps a volume source it does not model as given, and shows it back", async () => {
    const h = await startHarness();
    const input = {
      name: "web",
      template: {
        labels: { app: "web" },
        spec: {
          containers: [{ name: "app", image: "nginx:1.27", volumeMounts: [{ name: "host", mountPath: "/host" }] }],
          volumes: [{ name: "host", unmodelled: { hostPath: { path: "/var/log", type: "Directory" } } }],
        },
      },
    };
    const d = await h.engine.createDeployment(T, input);
    // biome-ignore lint/suspicious/noExplicitAny: as above.
    const k: any = toKubernetes(d, h.engine.internals.ctx.state);
    expect(k.spec.template.spec.volumes).toEqual([{ name: "host", hostPath: { path: "/var/log", type: "Directory" } }]);
    expect(k.spec.template.spec.securityContext).toEqual({});
  });

  it("defaults imagePullPolicy as Kubernetes does, and keeps a given one only when it differs", () => {
    const parse = (image: string, imagePullPolicy?: "Always" | "IfNotPresent" | "Never") =>
      (
        parseInput(podTemplateSchema, {
          spec: { containers: [{ name: "c", image, ...(imagePullPolicy ? { imagePullPolicy } : {}) }] },
        }) as PodTemplate
      ).spec.containers[0];
    expect(parse("nginx:1.27", "IfNotPresent")).not.toHaveProperty("imagePullPolicy");
    expect(parse("nginx", "Always")).not.toHaveProperty("imagePullPolicy");
    expect(parse("nginx:latest", "IfNotPresent")?.imagePullPolicy).toBe("IfNotPresent");
    expect(parse("nginx:1.27", "Never")?.imagePullPolicy).toBe("Never");
  });

  it("accepts Recreate and shows it without rollingUpdate; a stored one parses again unchanged", async () => {
    const h = await startHarness();
    const d = await h.engine.createDeployment(T, { ...docsDeployment(), strategy: { type: "Recreate" } });
    expect(d.spec.strategy).toEqual({ type: "Recreate", maxSurge: 0, maxUnavailable: "100%" });
    // biome-ignore lint/suspicious/noExplicitAny: as above.
    const kube = toKubernetes(d, h.engine.internals.ctx.state) as { spec?: { strategy?: unknown } };
    expect(kube.spec?.strategy).toEqual({ type: "Recreate" });
    const scaled = await h.engine.updateDeployment(T, d.name, { replicas: 2 });
    expect(scaled.spec.strategy.type).toBe("Recreate");
  });
});

describe("refusals name the field, in Kubernetes' words", () => {
  const refused = async (input: CreateDeploymentInput, message: string | RegExp) => {
    const h = await startHarness();
    await expect(h.engine.createDeployment(T, input)).rejects.toMatchObject({
      code: "INVALID",
      message: typeof message === "string" ? expect.stringContaining(message) : expect.stringMatching(message),
    });
    expect(h.engine.listDeployments(T).items).toEqual([]);
  };
  const withContainer = (
    patch: Record<string, unknown>,
    spec: Record<string, unknown> = {},
  ): CreateDeploymentInput => ({
    name: "web",
    template: {
      labels: { app: "web" },
      spec: { containers: [{ name: "app", image: "nginx:1.27", ...patch }], ...spec } as never,
    },
  });

  it("a volumeMount that names no volume of the pod", () =>
    refused(
      withContainer(
        { volumeMounts: [{ name: "config", mountPath: "/etc/config" }] },
        {
          volumes: [{ name: "data", emptyDir: {} }],
        },
      ),
      'spec.template.spec.containers[0].volumeMounts[0].name: Not found: "config"',
    ));

  it("two ports of the pod with one name", () =>
    refused(
      {
        name: "web",
        template: {
          labels: { app: "web" },
          spec: {
            containers: [
              { name: "a", image: "nginx:1.27", ports: [{ name: "http", containerPort: 80 }] },
              { name: "b", image: "nginx:1.27", ports: [{ name: "http", containerPort: 8080 }] },
            ],
          },
        },
      },
      'spec.template.spec.containers[1].ports[0].name: Duplicate value: "http"',
    ));

  it("Recreate with rollingUpdate fields", () =>
    refused(
      { ...withContainer({}), strategy: { type: "Recreate", maxSurge: 1 } },
      "spec.strategy.rollingUpdate: Forbidden: may not be specified when strategy `type` is 'Recreate'",
    ));

  it("a probe on a named port the container does not have", () =>
    refused(
      withContainer({
        ports: [{ name: "http", containerPort: 80 }],
        readinessProbe: { httpGet: { path: "/", port: "web" } },
      }),
      'spec.template.spec.containers[0].readinessProbe.httpGet.port: Invalid value: "web": no containerPort named "web" in this container',
    ));

  it("a port name that is no IANA service name", () =>
    refused(
      withContainer({ ports: [{ name: "HTTP--port-number-1", containerPort: 80 }] }),
      /ports\[0\]\.name: Invalid value: "HTTP--port-number-1": must be no more than 15 characters, must contain only alpha-numeric/,
    ));

  it("a probe with two handlers, and a liveness probe that must succeed once", async () => {
    await refused(
      withContainer({ livenessProbe: { tcpSocket: { port: 80 }, exec: { command: ["true"] } } }),
      "containers[0].livenessProbe.tcpSocket: Forbidden: may not specify more than 1 handler type",
    );
    await refused(
      withContainer({ livenessProbe: { tcpSocket: { port: 80 }, successThreshold: 2 } }),
      "containers[0].livenessProbe.successThreshold: Invalid value: 2: must be 1",
    );
  });

  it("value with valueFrom, a fieldRef Kubernetes does not offer, an unmodelled field that is modelled", async () => {
    await refused(
      withContainer({ env: [{ name: "A", value: "x", valueFrom: { fieldRef: { fieldPath: "metadata.name" } } }] }),
      'containers[0].env[0].valueFrom: Invalid value: "": may not be specified when `value` is not empty',
    );
    await refused(
      withContainer({ env: [{ name: "A", valueFrom: { fieldRef: { fieldPath: "spec.hostname" } } }] }),
      'containers[0].env[0].valueFrom.fieldRef.fieldPath: Unsupported value: "spec.hostname"',
    );
    await refused(withContainer({ unmodelled: { image: "other" } }), "containers[0].unmodelled.image: Invalid value");
  });

  it("minReadySeconds not below the progress deadline, an unmodelled key that is no field name", async () => {
    await refused(
      { ...withContainer({}), minReadySeconds: 600 },
      "spec.progressDeadlineSeconds: Invalid value: 600: must be greater than minReadySeconds",
    );
    await refused(
      withContainer({}, { unmodelled: JSON.parse('{"__proto__": {"x": 1}}') }),
      "spec.template.spec.unmodelled",
    );
  });

  it("a volume with no source or two", async () => {
    await refused(
      withContainer({}, { volumes: [{ name: "v" }] }),
      "spec.template.spec.volumes[0]: Required value: must specify a volume type",
    );
    await refused(
      withContainer({}, { volumes: [{ name: "v", emptyDir: {}, configMap: { name: "x" } }] }),
      "spec.template.spec.volumes[0].configMap: Forbidden: may not specify more than 1 volume type",
    );
  });
});
