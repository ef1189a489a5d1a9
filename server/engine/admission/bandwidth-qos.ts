/**
 * Bandwidth QoS admission for the pods a deployment's template makes (issue 14 point 5; the
 * rules are network/qos/README.md's). Two refusals, both INVALID and both before anything is
 * staged:
 * 1. Validation: every malformed QoS annotation of the template (`kubernetes.io/{ingress,egress}-
 *    bandwidth`, `cloud.tenant.io/{ingress,egress}-bandwidth-guarantee`, `…-packet-rate`), with
 *    its field path in the deployment (`spec.template.metadata.annotations['…']`) and the rule it
 *    breaks, as field.Invalid words it.
 * 2. Admission (`NodeBandwidthGuarantee`, which the Kubernetes API answers 403 as it does an
 *    admission plugin): a guarantee larger than the NIC of the largest machine the tenant's node
 *    pools (or nodes) could give it; its pods could never be placed. A tenant with no pool yet
 *    may still make one of any machine type, so then every machine type counts.
 * Guarantees: judged when the deployment is created and whenever its QoS annotations change
 * (update, template replace, rollback to a template that differs); a scale or restart keeping
 * them is not judged again, as LimitRanges are not (admission/limit-range.ts). Whether a
 * guarantee fits beside the pods a node already holds is the scheduler's filter, not this.
 */
import { EngineError, type ErrorDetail } from "../core/errors";
import type { EngineState } from "../core/state";
import { type Deployment, MACHINE_TYPES, type PodTemplate } from "../kinds/types";
import {
  annotationField,
  GUARANTEE_ADMISSION,
  guaranteeFitsNoNic,
  type NicCapacity,
  nicCapacityOf,
  QOS_ANNOTATIONS,
  readPodQos,
} from "../network/qos";

/** Where a template's annotations sit in a deployment. */
const TEMPLATE = "spec.template.";

const QOS_KEYS = Object.values(QOS_ANNOTATIONS);

const fieldDetail = (field: string, message: string): ErrorDetail => ({
  key: "errors.fieldMessage",
  params: { field, message: { key: "", text: message } },
  text: `${field}: ${message}`,
  field,
});

/** The NICs the tenant's pods could get: its pools' machine types and its nodes; every type when it has none. */
export function tenantNics(state: EngineState, tenantId: string): NicCapacity[] {
  const capacities = [
    ...state.ofTenant("NodePool", tenantId).map((p) => MACHINE_TYPES[p.machineType]),
    ...state.ofTenant("Node", tenantId).map((n) => n.capacity),
  ];
  return (capacities.length > 0 ? capacities : Object.values(MACHINE_TYPES)).map(nicCapacityOf);
}

/** Throws INVALID when the template's QoS annotations are malformed or a guarantee fits none of `nics`. */
export function checkTemplateQos(template: PodTemplate, nics: readonly NicCapacity[]): void {
  const { qos, problems } = readPodQos(template.annotations);
  const first = problems[0];
  if (first) {
    const text = problems.map((p) => `${TEMPLATE}${p.field}: ${p.message}`).join("; ");
    throw new EngineError("INVALID", text, fieldDetail(`${TEMPLATE}${first.field}`, first.message));
  }
  const tooLarge = guaranteeFitsNoNic(qos, nics);
  if (!tooLarge) return;
  const key = tooLarge.direction === "egress" ? QOS_ANNOTATIONS.egressGuarantee : QOS_ANNOTATIONS.ingressGuarantee;
  const field = `${TEMPLATE}${annotationField(key)}`;
  throw new EngineError(
    "INVALID",
    `${field}: ${tooLarge.message}`,
    fieldDetail(field, tooLarge.message),
    GUARANTEE_ADMISSION,
  );
}

const sameQos = (a: Readonly<Record<string, string>>, b: Readonly<Record<string, string>>) =>
  a === b || QOS_KEYS.every((k) => a[k] === b[k]);

/** The admission step for a deployment's new spec (`before`: the deployment as it was, if it existed). */
export function admitBandwidthQos(
  state: EngineState,
  tenantId: string,
  before: Deployment | undefined,
  after: Deployment["spec"],
): void {
  if (before && sameQos(before.spec.template.annotations, after.template.annotations)) return;
  checkTemplateQos(after.template, tenantNics(state, tenantId));
}
