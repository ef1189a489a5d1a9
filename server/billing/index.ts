/**
 * Public API of billing: metering hook, the service, rating helpers. The growth guard is not
 * here: billing freezes an overdue tenant's growth in the engine's admission
 * (`engine.setGrowthFrozen`), so every command that adds capacity is refused there.
 */
export { createBilling, DEFAULT_BILLING_OPTIONS, type Billing, type BillingOptions } from "./service";
export { meteringHook, meterBatch } from "./metering";
export { formatMinor } from "./rating";
