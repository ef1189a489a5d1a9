import { createCallerFactory, createTRPCRouter } from "./init";
import { adminRouter } from "./routers/admin";
import { auditRouter } from "./routers/audit";
import { billingRouter } from "./routers/billing";
import { billingAdminRouter } from "./routers/billing-admin";
import { clusterRouter } from "./routers/cluster";
import { configRouter } from "./routers/config";
import { deploymentsRouter } from "./routers/deployments";
import { eventsRouter, quotaRouter } from "./routers/events";
import { invitationsRouter } from "./routers/invitations";
import { liveRouter } from "./routers/live";
import { manifestsRouter } from "./routers/manifests";
import { membersRouter } from "./routers/members";
import { namespacesRouter } from "./routers/namespaces";
import { operatorTokensRouter } from "./routers/operator-tokens";
import { alertsRouter, monitoringRouter } from "./routers/monitoring";
import { nodePoolsRouter, nodesRouter } from "./routers/nodes";
import { podsRouter } from "./routers/pods";
import { publicIpsRouter } from "./routers/public-ips";
import { publicIpsAdminRouter } from "./routers/public-ips-admin";
import { networksRouter } from "./routers/networks";
import { resourceQuotasRouter } from "./routers/resource-quotas";
import { securityRouter } from "./routers/security";
import { servicesRouter } from "./routers/services";
import { sessionRouter } from "./routers/session";
import { tenantsRouter } from "./routers/tenants";
import { tokensRouter } from "./routers/tokens";

export const appRouter = createTRPCRouter({
  session: sessionRouter,
  tenants: tenantsRouter,
  members: membersRouter,
  tokens: tokensRouter,
  invitations: invitationsRouter,
  operatorTokens: operatorTokensRouter,
  audit: auditRouter,
  admin: adminRouter,
  namespaces: namespacesRouter,
  deployments: deploymentsRouter,
  pods: podsRouter,
  nodes: nodesRouter,
  nodePools: nodePoolsRouter,
  events: eventsRouter,
  quota: quotaRouter,
  resourceQuotas: resourceQuotasRouter,
  manifests: manifestsRouter,
  config: configRouter,
  cluster: clusterRouter,
  billing: billingRouter,
  billingAdmin: billingAdminRouter,
  monitoring: monitoringRouter,
  alerts: alertsRouter,
  live: liveRouter,
  services: servicesRouter,
  networks: networksRouter,
  security: securityRouter,
  publicIps: publicIpsRouter,
  publicIpsAdmin: publicIpsAdminRouter,
});

export type AppRouter = typeof appRouter;
export const createCaller = createCallerFactory(appRouter);
