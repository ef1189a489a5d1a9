/**
 * The query parameters every write shares, read and checked once, as kube-apiserver checks its
 * Create/Update/PatchOptions (an unsupported value is 422 naming the option, before anything is
 * read or written):
 * - `dryRun`: `All` or absent (the engine then runs the command and stores nothing);
 * - `fieldManager`: at most 128 printable characters; absent: the User-Agent's prefix before the
 *   first `/` (`kubectl`), as upstream; required for server-side apply;
 * - `fieldValidation`: `Strict`, `Warn` (the default since 1.27) or `Ignore`;
 * - `force`: server-side apply only.
 * `recordManagedFields` is the bookkeeping of every non-apply write of a tracked kind: the
 * writer's Update entry in metadata.managedFields, at the services' clock.
 */
import type { KubeObject } from "../../engine";
import { type JsonObject, updateManagedFields } from "../patch";
import type { KubeRequest } from "../context";
import { parseJsonBody } from "../resources/body";
import { KubeError } from "../status";

export type FieldValidation = "Strict" | "Warn" | "Ignore";

export interface WriteRequest {
  dryRun: boolean;
  /** The request's field manager (never empty: at worst "unknown"). */
  manager: string;
  validation: FieldValidation;
  force: boolean;
  /** The services' clock, RFC 3339: the time of the managed-fields entries this write stamps. */
  now: string;
}

const MAX_MANAGER = 128;

/** The options kind upstream names in these errors (CreateOptions, UpdateOptions, PatchOptions, DeleteOptions). */
function optionsKind(method: string): string {
  return { POST: "CreateOptions", PUT: "UpdateOptions", PATCH: "PatchOptions", DELETE: "DeleteOptions" }[method] ?? "";
}

function invalidOption(method: string, field: string, message: string): KubeError {
  const kind = optionsKind(method);
  return new KubeError("Invalid", `${kind}.meta.k8s.io "" is invalid: ${field}: ${message}`, {
    group: "meta.k8s.io",
    kind,
    causes: [{ field, message, reason: "FieldValueInvalid" }],
  });
}

/** True for a server-side apply request. */
export function isApplyPatch(req: KubeRequest): boolean {
  if (req.method !== "PATCH") return false;
  const type = (req.request.headers.get("content-type") ?? "").split(";")[0]?.trim().toLowerCase();
  return type === "application/apply-patch+yaml" || type === "application/apply-patch+cbor";
}

/** The write's options from its query, or a 4xx naming the bad one. */
export function writeRequest(req: KubeRequest): WriteRequest {
  const q = req.url.searchParams;
  const dryRuns = [...q.getAll("dryRun"), ...deleteBodyDryRun(req)];
  if (dryRuns.some((v) => v !== "All"))
    throw invalidOption(
      req.method,
      "dryRun",
      `Unsupported value: ${JSON.stringify(dryRuns.join(","))}: supported values: "All"`,
    );
  const given = q.get("fieldManager") ?? "";
  if (given.length > MAX_MANAGER)
    throw invalidOption(req.method, "fieldManager", `Too long: may not be more than ${MAX_MANAGER} bytes`);
  if (/[^\P{C}]/u.test(given))
    throw invalidOption(req.method, "fieldManager", `Invalid value: ${JSON.stringify(given)}: must be printable`);
  const apply = isApplyPatch(req);
  if (apply && !given) throw invalidOption(req.method, "fieldManager", "Required value: is required for apply patch");
  const forceRaw = q.get("force");
  if (forceRaw !== null && !apply)
    throw invalidOption(req.method, "force", "Forbidden: may not be specified for non-apply patch");
  const validationRaw = q.get("fieldValidation") ?? "";
  const validation = (
    { "": "Warn", Warn: "Warn", Strict: "Strict", Ignore: "Ignore" } as Record<string, FieldValidation>
  )[validationRaw];
  if (!validation)
    throw invalidOption(
      req.method,
      "fieldValidation",
      `Unsupported value: ${JSON.stringify(validationRaw)}: supported values: "", "Ignore", "Strict", "Warn"`,
    );
  const agent = (req.request.headers.get("user-agent") ?? "").split("/")[0] ?? "";
  return {
    dryRun: dryRuns.length > 0,
    manager: given || agent.slice(0, MAX_MANAGER) || "unknown",
    validation,
    force: forceRaw === "true" || forceRaw === "1",
    now: new Date(req.services.clock.now()).toISOString(),
  };
}

/** A DELETE's DeleteOptions body may carry dryRun (kubectl delete --dry-run=server sends it there). */
function deleteBodyDryRun(req: KubeRequest): string[] {
  if (req.method !== "DELETE" || !req.body || req.body.byteLength === 0) return [];
  const options = parseJsonBody(req) as { dryRun?: unknown } | null;
  const given = options?.dryRun;
  if (given === undefined || given === null) return [];
  return Array.isArray(given) ? given.map(String) : [String(given)];
}

/**
 * `after` with the write's Update entry recorded in its metadata.managedFields (create when
 * `before` is undefined); `subresource` for writes through scale.
 */
export function recordManagedFields(
  w: WriteRequest,
  before: KubeObject | undefined,
  after: KubeObject,
  subresource?: string,
): KubeObject {
  const { object } = updateManagedFields(before as unknown as JsonObject | undefined, after as unknown as JsonObject, {
    manager: w.manager,
    now: w.now,
    ...(subresource ? { subresource } : {}),
  });
  return object as unknown as KubeObject;
}

/** The managed fields an object carries (what the engine stores), [] when none. */
export function managedFieldsIn(o: KubeObject): Record<string, unknown>[] {
  const m = (o.metadata as { managedFields?: unknown } | undefined)?.managedFields;
  return Array.isArray(m) ? (m as Record<string, unknown>[]) : [];
}
