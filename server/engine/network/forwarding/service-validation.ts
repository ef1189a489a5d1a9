/**
 * Validation of a defaulted Service, with kube-apiserver's words (ValidateService,
 * ValidateServiceUpdate) where Kubernetes has them, so a message reads as kubectl users know
 * it: `spec.ports[0].port: Invalid value: 0: must be between 1 and 65535, inclusive`. Every
 * problem is reported, not only the first.
 */
import { EngineError } from "../../core/errors";
import { labelKeyProblem, labelValueProblem } from "../../kinds/label-selector";
import { AddressError, parseIpv4 } from "../ipv4";
import { SERVICE_PROTOCOLS, SERVICE_TYPES, SESSION_AFFINITIES, type ServicePort, type ServiceSpec } from "./service";

/** One problem: the field's path and Kubernetes' text for it. */
export interface FieldProblem {
  readonly field: string;
  readonly message: string;
}

const DNS1035 = /^[a-z]([-a-z0-9]*[a-z0-9])?$/;
const DNS1123_LABEL = /^[a-z0-9]([-a-z0-9]*[a-z0-9])?$/;
const DNS1035_RULE =
  "a DNS-1035 label must consist of lower case alphanumeric characters or '-', start with an alphabetic character, and end with an alphanumeric character (e.g. 'my-name',  or 'abc-123', regex used for validation is '[a-z]([-a-z0-9]*[a-z0-9])?')";
const DNS1123_LABEL_RULE =
  "a lowercase RFC 1123 label must consist of lower case alphanumeric characters or '-', and must start and end with an alphanumeric character (e.g. 'my-name',  or '123-abc', regex used for validation is '[a-z0-9]([-a-z0-9]*[a-z0-9])?')";
const PORT_RANGE = "must be between 1 and 65535, inclusive";
const IP_RULE = "must be a valid IP address, (e.g. 10.9.8.7 or 2001:db8::ffff)";

const quote = (v: unknown) => (typeof v === "string" ? JSON.stringify(v) : String(v));
const invalid = (field: string, value: unknown, why: string): FieldProblem => ({
  field,
  message: `Invalid value: ${quote(value)}: ${why}`,
});
const unsupported = (field: string, value: unknown, allowed: readonly string[]): FieldProblem => ({
  field,
  message: `Unsupported value: ${quote(value)}: supported values: ${allowed.map((a) => `"${a}"`).join(", ")}`,
});

/** A Service's name becomes a DNS label: DNS-1035 (it must start with a letter), at most 63 characters. */
export function serviceNameProblems(name: string): FieldProblem[] {
  const out: FieldProblem[] = [];
  if (name.length > 63) out.push(invalid("metadata.name", name, "must be no more than 63 characters"));
  if (!DNS1035.test(name)) out.push(invalid("metadata.name", name, DNS1035_RULE));
  return out;
}

/** Kubernetes' IsValidPortName (IANA_SVC_NAME), every problem joined as Kubernetes joins them. */
export function portNameProblems(name: string): string[] {
  const out: string[] = [];
  if (name.length > 15) out.push("must be no more than 15 characters");
  if (!/^[-a-z0-9]+$/.test(name)) out.push("must contain only alpha-numeric characters (a-z, 0-9), and hyphens (-)");
  if (name.includes("--")) out.push("must not contain consecutive hyphens");
  if (!/[a-z]/.test(name)) out.push("must contain at least one letter (a-z)");
  if (name.startsWith("-") || name.endsWith("-")) out.push("must not begin or end with a hyphen");
  return out;
}

const validPort = (n: number) => Number.isInteger(n) && n >= 1 && n <= 65535;

function ipProblem(field: string, text: string): FieldProblem | undefined {
  try {
    parseIpv4(text);
    return undefined;
  } catch (e) {
    if (e instanceof AddressError) return invalid(field, text, IP_RULE);
    throw e;
  }
}

function portProblems(p: ServicePort, i: number, requireName: boolean): FieldProblem[] {
  const at = `spec.ports[${i}]`;
  const out: FieldProblem[] = [];
  if (p.name === undefined || p.name === "") {
    if (requireName) out.push({ field: `${at}.name`, message: "Required value" });
  } else if (!DNS1123_LABEL.test(p.name) || p.name.length > 63) {
    out.push(invalid(`${at}.name`, p.name, DNS1123_LABEL_RULE));
  }
  if (!validPort(p.port)) out.push(invalid(`${at}.port`, p.port, PORT_RANGE));
  if (!SERVICE_PROTOCOLS.includes(p.protocol)) out.push(unsupported(`${at}.protocol`, p.protocol, SERVICE_PROTOCOLS));
  if (typeof p.targetPort === "number") {
    if (!validPort(p.targetPort)) out.push(invalid(`${at}.targetPort`, p.targetPort, PORT_RANGE));
  } else {
    const why = portNameProblems(p.targetPort);
    if (why.length > 0) out.push(invalid(`${at}.targetPort`, p.targetPort, why.join(", ")));
  }
  return out;
}

/** Every problem of a defaulted spec; [] when it is valid. */
export function serviceSpecProblems(spec: ServiceSpec): FieldProblem[] {
  const out: FieldProblem[] = [];
  if (!SERVICE_TYPES.includes(spec.type)) out.push(unsupported("spec.type", spec.type, SERVICE_TYPES));
  if (spec.clusterIP === "None")
    out.push({
      field: "spec.clusterIP",
      message: `Unsupported value: "None": headless services are not modelled; omit clusterIP to get one from the tenant's service range`,
    });
  else if (spec.clusterIP !== undefined) {
    const p = ipProblem("spec.clusterIPs[0]", spec.clusterIP);
    if (p) out.push(p);
  }
  if (spec.ports.length === 0) out.push({ field: "spec.ports", message: "Required value" });
  const names = new Set<string>();
  const portKeys = new Set<string>();
  spec.ports.forEach((p, i) => {
    out.push(...portProblems(p, i, spec.ports.length > 1));
    if (p.name) {
      if (names.has(p.name)) out.push({ field: `spec.ports[${i}].name`, message: `Duplicate value: "${p.name}"` });
      names.add(p.name);
    }
    const key = `${p.port}/${p.protocol}`;
    if (portKeys.has(key)) out.push({ field: `spec.ports[${i}]`, message: `Duplicate value: "${key}"` });
    portKeys.add(key);
  });
  for (const [k, v] of Object.entries(spec.selector ?? {})) {
    const keyWhy = labelKeyProblem(k);
    if (keyWhy) out.push(invalid("spec.selector", k, keyWhy));
    const valueWhy = labelValueProblem(v);
    if (valueWhy) out.push(invalid(`spec.selector.${k}`, v, valueWhy));
  }
  if (!SESSION_AFFINITIES.includes(spec.sessionAffinity))
    out.push(unsupported("spec.sessionAffinity", spec.sessionAffinity, SESSION_AFFINITIES));
  if (spec.loadBalancerIP !== undefined) {
    if (spec.type !== "LoadBalancer")
      out.push({ field: "spec.loadBalancerIP", message: "Forbidden: may only be used when `type` is 'LoadBalancer'" });
    else {
      const p = ipProblem("spec.loadBalancerIP", spec.loadBalancerIP);
      if (p) out.push(p);
    }
  }
  return out;
}

/** Kubernetes' update rule: a service's ClusterIP never changes once set. */
export function serviceUpdateProblems(before: ServiceSpec, after: ServiceSpec): FieldProblem[] {
  const out = serviceSpecProblems(after);
  if (before.clusterIP !== undefined && after.clusterIP !== before.clusterIP)
    out.push(invalid("spec.clusterIPs[0]", after.clusterIP ?? "", "may not change once set"));
  return out;
}

/** Throws EngineError INVALID in kube-apiserver's form: `Service "web" is invalid: a; b`. */
export function assertNoProblems(name: string, problems: readonly FieldProblem[]): void {
  if (problems.length === 0) return;
  const text = problems.map((p) => `${p.field}: ${p.message}`).join(", ");
  throw new EngineError("INVALID", `Service "${name}" is invalid: ${problems.length > 1 ? `[${text}]` : text}`);
}
