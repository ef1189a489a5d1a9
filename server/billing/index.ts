/** Public API of billing: metering hook, the service, rating helpers, the growth guard. */
import type { Services } from "../services";

export { createBilling, DEFAULT_BILLING_OPTIONS, type Billing, type BillingOptions } from "./service";
export { meteringHook, meterBatch } from "./metering";
export { formatMinor } from "./rating";

/**
 * Refuses creating or scaling up workloads for a tenant whose balance has been negative past
 * the grace period (AppError FORBIDDEN with the reason). Call it before engine commands that
 * add capacity: deployments.create, deployments.scale / update when replicas grow,
 * nodePools.create / update when sizes grow.
 */
export async function assertTenantMayGrow(services: Pick<Services, "billing">, tenantId: string): Promise<void> {
  await services.billing.assertMayGrow(tenantId);
}
