/** Services on per-tenant forwarding tables (issue 14 point 4): the pure domain module. */
export * from "./backends";
export * from "./cluster-ip-allocator";
export * from "./endpoint-pod";
export * from "./endpoint-slices";
export * from "./flow-hash";
export * from "./forwarding-tables";
export * from "./iptables-baseline";
export * from "./iptables-restore";
export * from "./service";
export * from "./service-dns";
export * from "./service-validation";
export * from "./tenant-table";
