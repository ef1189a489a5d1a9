/**
 * Upstream's group-version-kinds on the meta definitions kubernetes-models gives no fixed kind:
 * Status (v1), DeleteOptions and WatchEvent (every group that serves deletes and watches).
 */
export const EXTRA_GVKS: Record<string, { group: string; version: string; kind: string }[]> = {
  "io.k8s.apimachinery.pkg.apis.meta.v1.Status": [{ group: "", version: "v1", kind: "Status" }],
  "io.k8s.apimachinery.pkg.apis.meta.v1.DeleteOptions": [
    "",
    "apps",
    "autoscaling",
    "events.k8s.io",
    "policy",
    "authorization.k8s.io",
    "authentication.k8s.io",
    "cloud.tenant.io",
    "discovery.k8s.io",
    "networking.k8s.io",
  ].map((group) => ({ group, version: "v1", kind: "DeleteOptions" })),
  "io.k8s.apimachinery.pkg.apis.meta.v1.WatchEvent": [
    "",
    "apps",
    "events.k8s.io",
    "cloud.tenant.io",
    "discovery.k8s.io",
    "networking.k8s.io",
  ].map((group) => ({
    group,
    version: "v1",
    kind: "WatchEvent",
  })),
};
