/**
 * The requests each load operation sends, as data (method, path, headers, body) made from the
 * world's names: the client process builds them from this plan, so nothing but names crosses
 * from the server's process to the clients'.
 */
export interface RequestPlan {
  namespace: string;
  podNames: string[];
  deployments: string[];
}

export interface PlannedRequest {
  method: string;
  path: string;
  headers?: Record<string, string>;
  body?: string;
}

/** kubectl's Table request (kubectl get sends this Accept, then falls back to JSON). */
export const TABLE_ACCEPT =
  "application/json;as=Table;v=v1;g=meta.k8s.io,application/json;as=Table;v=v1beta1;g=meta.k8s.io,application/json";

export const LOAD_OPS = ["get-pod", "get-deployment", "list-table", "create-configmap", "patch-deployment"] as const;
export type LoadOp = (typeof LOAD_OPS)[number];

const pick = <T>(xs: T[], c: number, k: number): T => xs[(c * 7919 + Math.abs(k)) % xs.length] as T;
/** A request's number in names and labels: warm-up requests (k < 0) are w1, w2, … */
const nth = (k: number) => (k < 0 ? `w${-k}` : String(k));

export const tablePath = (p: RequestPlan) => `/api/v1/namespaces/${p.namespace}/pods`;

/** Client c's k-th request of `op`, and the status it must answer. */
export const REQUESTS: Record<LoadOp, { expect: number; make(p: RequestPlan, c: number, k: number): PlannedRequest }> =
  {
    "get-pod": {
      expect: 200,
      make: (p, c, k) => ({ method: "GET", path: `/api/v1/namespaces/${p.namespace}/pods/${pick(p.podNames, c, k)}` }),
    },
    "get-deployment": {
      expect: 200,
      make: (p, c, k) => ({
        method: "GET",
        path: `/apis/apps/v1/namespaces/${p.namespace}/deployments/${pick(p.deployments, c, k)}`,
      }),
    },
    "list-table": {
      expect: 200,
      make: (p) => ({ method: "GET", path: tablePath(p), headers: { accept: TABLE_ACCEPT } }),
    },
    "create-configmap": {
      expect: 201,
      make: (p, c, k) => ({
        method: "POST",
        path: `/api/v1/namespaces/${p.namespace}/configmaps`,
        headers: { "content-type": "application/json" },
        body: JSON.stringify({
          apiVersion: "v1",
          kind: "ConfigMap",
          metadata: { name: `kbench-${c}-${nth(k)}`, labels: { app: "kbench" } },
          data: { "app.properties": `client=${c}\nrequest=${k}\n`, mode: "bench" },
        }),
      }),
    },
    "patch-deployment": {
      expect: 200,
      make: (p, c, k) => ({
        method: "PATCH",
        path: `/apis/apps/v1/namespaces/${p.namespace}/deployments/${pick(p.deployments, c, k)}`,
        headers: { "content-type": "application/strategic-merge-patch+json" },
        body: JSON.stringify({ metadata: { labels: { "kbench/client": String(c), "kbench/request": nth(k) } } }),
      }),
    },
  };
