/**
 * A living first look: a few tenants with node pools, deployments mid-rollout, a service
 * the storefront sends (modelled) traffic to, the storefront behind a LoadBalancer with a public
 * IP (from a documentation-range pool made when there is none), a crash-looping pod and a pod that cannot be
 * placed because the tenant's node quota is spent. Loading it twice changes nothing the second time (tenants are found by slug).
 * Everything it creates goes through the same engine commands a tenant would use.
 */
import type { Database } from "@/db/client";
import { createTenant, findTenantBySlug } from "@/db/queries/tenancy";
import type { NodePoolInput, QuotaInput } from "../engine";
import type { Orchestrator } from "../engine/api/orchestrator";
import { defaultQuota } from "../workloads/tenant-defaults";

interface DemoTenant {
  slug: string;
  name: string;
  quota: QuotaInput;
  pools: NodePoolInput[];
  build(engine: Orchestrator, tenantId: string): Promise<void>;
}

const container = (image: string, cpu = "250m", memory = "256Mi", env: { name: string; value: string }[] = []) => ({
  name: "app",
  image,
  env,
  resources: { requests: { cpu, memory }, limits: {} },
});

/** A documentation range (RFC 5737), made only when the cluster has no public pool yet. */
const DEMO_PUBLIC_POOL = { name: "demo-public", spec: { cidrs: ["203.0.113.0/24"] } };

const demoTenants: DemoTenant[] = [
  {
    slug: "demo-shop",
    name: "Demo Shop",
    quota: defaultQuota,
    pools: [
      {
        name: "general",
        machineType: "4c8g",
        minSize: 2,
        maxSize: 4,
        trimmedImage: true,
        staticIp: true,
        warmPoolSize: 1,
      },
    ],
    async build(engine, tenantId) {
      await engine.createDeployment(tenantId, {
        name: "storefront",
        replicas: 4,
        template: { spec: { containers: [container("nginx:1.26")] } },
      });
      await engine.createDeployment(tenantId, {
        name: "checkout-api",
        replicas: 2,
        template: { spec: { containers: [container("registry.example.com/shop/checkout:v41", "500m", "512Mi")] } },
      });
      // The storefront calls the checkout service (modelled traffic, decided by the real tables).
      await engine.createService(tenantId, {
        name: "checkout-api",
        spec: { selector: { app: "checkout-api" }, ports: [{ port: 80 }] },
      });
      // The storefront faces the internet through a LoadBalancer holding a public IP of the demo pool.
      await engine.createService(tenantId, {
        name: "storefront",
        spec: { type: "LoadBalancer", selector: { app: "storefront" }, ports: [{ port: 80 }] },
      });
      await engine.createPublicIp(tenantId, {
        name: "storefront",
        spec: { bandwidthMbps: 20, target: { kind: "Service", name: "storefront" } },
      });
      const calls = [{ name: "SIM_TRAFFIC", value: "to=svc/checkout-api;port=80;rate=20M;size=800" }];
      // A second revision right away: the storefront is mid-rollout when the console opens.
      await engine.updateDeployment(tenantId, "storefront", {
        template: { spec: { containers: [container("nginx:1.27", "250m", "256Mi", calls)] } },
      });
    },
  },
  {
    slug: "demo-analytics",
    name: "Demo Analytics",
    quota: defaultQuota,
    pools: [
      {
        name: "compute",
        machineType: "8c16g",
        minSize: 1,
        maxSize: 3,
        trimmedImage: true,
        staticIp: false,
        warmPoolSize: 0,
      },
    ],
    async build(engine, tenantId) {
      await engine.createDeployment(tenantId, {
        name: "ingest",
        replicas: 3,
        template: {
          spec: {
            containers: [
              container("registry.example.com/analytics/ingest:2.3", "1", "1Gi", [{ name: "SIM_CPU", value: "700" }]),
            ],
          },
        },
      });
      // Exits with an error shortly after each start: CrashLoopBackOff.
      await engine.createDeployment(tenantId, {
        name: "report-worker",
        replicas: 1,
        template: { spec: { containers: [container("registry.example.com/analytics/reports:crash")] } },
      });
    },
  },
  {
    slug: "demo-startup",
    name: "Demo Startup",
    quota: { cpu: "4", memory: "8Gi", pods: 10, nodes: 1 },
    pools: [
      {
        name: "small",
        machineType: "2c4g",
        minSize: 1,
        maxSize: 1,
        trimmedImage: false,
        staticIp: false,
        warmPoolSize: 0,
      },
    ],
    async build(engine, tenantId) {
      // Three pods of 800m on one 2-core node: the third stays Pending, and the node quota (1) stops the pool from growing.
      await engine.createDeployment(tenantId, {
        name: "batch",
        replicas: 3,
        template: { spec: { containers: [container("python:3.13-slim", "800m", "512Mi")] } },
      });
    },
  },
];

export async function loadDemo(
  db: Database,
  engine: Orchestrator,
  ownerId: string,
): Promise<{ tenants: string[]; created: string[] }> {
  const created: string[] = [];
  if (engine.listPublicIpPools().length === 0) await engine.createPublicIpPool(DEMO_PUBLIC_POOL);
  for (const demo of demoTenants) {
    if (await findTenantBySlug(db, demo.slug)) continue;
    const tenant = await createTenant(db, { name: demo.name, slug: demo.slug, ownerId });
    await engine.ensureTenantNamespace(tenant.id, tenant.slug);
    await engine.setQuota(tenant.id, demo.quota);
    for (const pool of demo.pools) await engine.createNodePool(tenant.id, pool);
    await demo.build(engine, tenant.id);
    created.push(demo.slug);
  }
  return { tenants: demoTenants.map((t) => t.slug), created };
}
