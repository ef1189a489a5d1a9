/**
 * Selectors: label selectors (label-selector.ts) and field selectors (field-selector.ts),
 * with Kubernetes' grammar and meaning. One import for both.
 */
export * from "./field-selector";
export * from "./label-selector";
