/** The Kubernetes verb of each writing HTTP method (what RBAC, audit and refusals name). */
export const WRITE_VERBS: Readonly<Record<string, string>> = {
  POST: "create",
  PUT: "update",
  PATCH: "patch",
  DELETE: "delete",
};

/** The verb of `method`, or the method itself in lower case when it writes nothing known. */
export const writeVerbOf = (method: string): string => WRITE_VERBS[method] ?? method.toLowerCase();
