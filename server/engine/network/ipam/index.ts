/** Address management for tenant networks: plans, the subnet allocator, MACs, the public pool. */
export * from "./allocation";
export { formatRange, parseExcludeEntry, type AddressRange } from "./exclude-ips";
export * from "./field-problem";
export * from "./mac";
export * from "./public-pool";
export * from "./public-range";
export * from "./subnet-allocator";
export * from "./subnet-ipam";
export * from "./subnet-plan";
export * from "./vpc-plan";
