/**
 * Pods' addresses with the security-group limits in front: a pod whose groups would exceed
 * them (more than 5 groups, or too many rules: network/security/limits.ts) gets no network
 * interface, as AWS refuses the ENI, so the scheduler keeps it Pending with the refusal as its
 * FailedScheduling event and tries again when the tenant's groups change.
 */
import type { Pod } from "../kinds/types";
import type { EngineSecurityState } from "./engine-security-state";
import { type AddressAssignment, PodAddresses } from "./pod-addresses";
import type { EngineState } from "../core/state";

export class SecurityCheckedAddresses extends PodAddresses {
  private security: EngineSecurityState | undefined;

  constructor(state: EngineState, vpcCidr: string) {
    super(state, vpcCidr);
  }

  /** Set once, when the engine's security state exists (it needs the state this is built beside). */
  attach(security: EngineSecurityState): void {
    this.security = security;
  }

  override assign(pod: Pod, now: number): AddressAssignment {
    const refusal = this.security?.assignmentRefusal(pod);
    if (refusal !== undefined) return { ok: false, message: refusal };
    return super.assign(pod, now);
  }
}
