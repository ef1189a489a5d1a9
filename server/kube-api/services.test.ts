/**
 * Services and EndpointSlices with the real kubectl: the docs' "Defining a Service" manifest
 * (kubernetes.io/docs/concepts/services-networking/service) applied, listed with kubectl's
 * columns, read as YAML (its ClusterIP from the tenant's 10.96.0.0/16), its EndpointSlice holding
 * the ready pods' addresses, described, re-applied unchanged, deleted; another tenant gets
 * NotFound; a viewer reads but does not write; slices are read-only. Skipped without kubectl.
 */
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { type KubeFixture, startKubeFixture } from "./testing/fixture";
import { hasKubectl, kubectlAs, type KubectlRunner } from "./testing/kubectl";

let f: KubeFixture;
let owner: KubectlRunner;
let viewer: KubectlRunner;
let ownerB: KubectlRunner;
let ns: string;

beforeAll(async () => {
  if (!hasKubectl) return;
  f = await startKubeFixture();
  ns = f.tenants.a.namespace;
  owner = kubectlAs(f, f.tokens.a, ns);
  viewer = kubectlAs(f, f.tokens.aViewer, ns);
  ownerB = kubectlAs(f, f.tokens.b, f.tenants.b.namespace);
}, 60_000);
afterAll(async () => f?.close());

const MY_SERVICE = `apiVersion: v1
kind: Service
metadata:
  name: my-service
spec:
  selector:
    app.kubernetes.io/name: MyApp
  ports:
    - protocol: TCP
      port: 80
      targetPort: 9376
`;

const myApp = {
  apiVersion: "apps/v1",
  kind: "Deployment",
  metadata: { name: "my-app" },
  spec: {
    replicas: 2,
    selector: { matchLabels: { "app.kubernetes.io/name": "MyApp" } },
    template: {
      metadata: { labels: { "app.kubernetes.io/name": "MyApp" } },
      spec: {
        containers: [
          {
            name: "app",
            image: "nginx:1.27",
            ports: [{ containerPort: 9376 }],
            resources: { requests: { cpu: "50m", memory: "64Mi" } },
          },
        ],
      },
    },
  },
};

const settle = () => f.h.services.engine.settle(120_000);

describe.skipIf(!hasKubectl)("Services and EndpointSlices with kubectl", () => {
  it("the docs' my-service: apply, get, -o yaml, endpoint slices, describe, delete; isolated", async () => {
    expect(await owner.ok(["apply", "-f", owner.file("app.json", myApp)])).toMatch(/deployment.apps\/my-app created/);
    expect(await owner.ok(["apply", "-f", owner.file("svc.yaml", MY_SERVICE)])).toMatch(/service\/my-service created/);
    await settle();

    const table = await owner.ok(["get", "svc"]);
    expect(table).toMatch(/^NAME\s+TYPE\s+CLUSTER-IP\s+EXTERNAL-IP\s+PORT\(S\)\s+AGE\n/);
    expect(table).toMatch(/my-service\s+ClusterIP\s+10\.96\.\d+\.\d+\s+<none>\s+80\/TCP\s+\d+s/);
    expect(await owner.ok(["get", "svc", "-o", "wide"])).toMatch(/SELECTOR\n(.*\n)*.*app\.kubernetes\.io\/name=MyApp/);

    const yaml = await owner.ok(["get", "svc", "my-service", "-o", "yaml"]);
    const clusterIP = /clusterIP: (10\.96\.\d+\.\d+)/.exec(yaml)?.[1];
    expect(clusterIP).toBeDefined();
    expect(yaml).toMatch(/clusterIPs:\n\s+- 10\.96\./);
    expect(yaml).toMatch(/ipFamilyPolicy: SingleStack/);
    expect(yaml).toMatch(/sessionAffinity: None/);
    expect(yaml).toMatch(/loadBalancer: \{\}/);

    // A strategic merge patch merges ports by port and protocol; the ClusterIP never changes.
    expect(
      await owner.ok(["patch", "svc", "my-service", "-p", '{"spec":{"ports":[{"port":80,"targetPort":9377}]}}']),
    ).toMatch(/patched/);
    const patched = JSON.parse(await owner.ok(["get", "svc", "my-service", "-o", "json"]));
    expect(patched.spec.ports).toEqual([{ port: 80, protocol: "TCP", targetPort: 9377 }]);
    expect(patched.spec.clusterIP).toBe(clusterIP);
    const moved = await owner.run([
      "patch",
      "svc",
      "my-service",
      "--type",
      "merge",
      "-p",
      '{"spec":{"clusterIP":"10.96.7.7"}}',
    ]);
    expect(moved.stderr).toMatch(/spec\.clusterIPs\[0\]: Invalid value: "10\.96\.7\.7": may not change once set/);
    expect(await owner.ok(["explain", "svc.spec.clusterIP"])).toMatch(/FIELD:\s+clusterIP/);

    // Re-applying the file restores it, and applying it again changes nothing.
    expect(await owner.ok(["apply", "-f", owner.file("svc.yaml", MY_SERVICE)])).toMatch(
      /service\/my-service configured/,
    );
    expect(await owner.ok(["apply", "-f", owner.file("svc.yaml", MY_SERVICE)])).toMatch(
      /service\/my-service unchanged/,
    );

    const pods = JSON.parse(await owner.ok(["get", "pods", "-l", "app.kubernetes.io/name=MyApp", "-o", "json"]));
    const ips = (pods.items as { status: { podIP: string } }[]).map((p) => p.status.podIP).sort();
    expect(ips).toHaveLength(2);
    const slices = await owner.ok(["get", "endpointslices", "-l", "kubernetes.io/service-name=my-service"]);
    expect(slices).toMatch(/^NAME\s+ADDRESSTYPE\s+PORTS\s+ENDPOINTS\s+AGE\n/);
    expect(slices).toMatch(/my-service-\w{5}\s+IPv4\s+9376\s+/);
    for (const ip of ips) expect(slices).toContain(ip);
    const slice = JSON.parse(
      await owner.ok(["get", "endpointslices", "-l", "kubernetes.io/service-name=my-service", "-o", "json"]),
    ).items[0];
    expect(slice.metadata.ownerReferences[0]).toMatchObject({ kind: "Service", name: "my-service", controller: true });

    const described = await owner.ok(["describe", "svc", "my-service"]);
    expect(described).toMatch(/Name:\s+my-service/);
    expect(described).toMatch(new RegExp(`IP:\\s+${clusterIP?.replace(/\./g, "\\.")}`));
    expect(described).toMatch(/TargetPort:\s+9376\/TCP/);
    expect(described).toMatch(/Endpoints:\s+10\.0\./);

    // Another tenant: NotFound, never the object; a viewer reads but does not write; slices are read-only.
    expect((await ownerB.run(["get", "svc", "my-service", "-n", ns])).stderr).toMatch(/Forbidden|NotFound|not found/);
    expect((await ownerB.run(["get", "svc", "my-service"])).stderr).toMatch(/NotFound|not found/);
    expect(await viewer.ok(["get", "svc", "my-service", "-o", "name"])).toBe("service/my-service\n");
    expect((await viewer.run(["delete", "svc", "my-service"])).stderr).toMatch(/Forbidden|forbidden/);
    expect((await owner.run(["delete", "endpointslices", slice.metadata.name])).stderr).toMatch(
      /MethodNotAllowed|not allow|forbidden|Forbidden/,
    );

    expect(await owner.ok(["delete", "svc", "my-service"])).toMatch(/service "my-service" deleted/);
    await settle();
    expect(await owner.ok(["get", "svc", "-o", "name"])).toBe("");
    expect(await owner.ok(["get", "endpointslices", "-o", "name"])).toBe("");
  });

  it("refuses what Kubernetes refuses, in its words; LoadBalancer is pending", async () => {
    const bad = { apiVersion: "v1", kind: "Service", metadata: { name: "bad" }, spec: { ports: [{ port: 70000 }] } };
    const run = await owner.run(["apply", "-f", owner.file("bad.json", bad)]);
    expect(run.stderr).toMatch(/spec\.ports\[0\]\.port: Invalid value: 70000: must be between 1 and 65535, inclusive/);
    const lb = {
      apiVersion: "v1",
      kind: "Service",
      metadata: { name: "front" },
      spec: { type: "LoadBalancer", selector: { app: "front" }, ports: [{ port: 443, targetPort: 8443 }] },
    };
    expect(await owner.ok(["apply", "--server-side", "-f", owner.file("lb.json", lb)])).toMatch(
      /service\/front serverside-applied/,
    );
    expect(await owner.ok(["get", "svc", "front"])).toMatch(
      /front\s+LoadBalancer\s+10\.96\.\d+\.\d+\s+<pending>\s+443\/TCP/,
    );
    expect(await owner.ok(["delete", "svc", "front"])).toMatch(/deleted/);
  });
});
