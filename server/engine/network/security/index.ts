/**
 * Network security: security groups (validation, attachment, compiled matcher), the
 * operator's L4 blocklist, Kubernetes NetworkPolicy, anti-spoofing, DDoS protection, and the
 * flow decision that combines them for the traffic model and the connectivity check.
 */
export * from "./address-class";
export * from "./anti-spoofing";
export * from "./blocklist";
export * from "./ddos";
export * from "./decide-flow";
export * from "./drop-counters";
export * from "./drop-reason";
export * from "./flow";
export * from "./group-attachment";
export * from "./group-matcher";
export * from "./group-matcher-cache";
export * from "./limits";
export * from "./memory-security-state";
export * from "./network-policy";
export * from "./network-policy-types";
export * from "./network-policy-validation";
export * from "./network-view";
export * from "./problems";
export * from "./security-group";
export * from "./security-group-validation";
export * from "./types";
