/**
 * What an allocation returns. A refusal is a value, not a throw (as the scheduler's plugins
 * return a status): the caller keeps the pod Pending and records the message as an event.
 */
import type { Ipv4 } from "../ipv4";

export type RefusalCode =
  /** No address is free (some may be on hold: they come back when the hold ends). */
  | "Exhausted"
  /** The requested address is not inside the subnet or pool. */
  | "OutsideRange"
  /** The requested address is a network or broadcast address. */
  | "Reserved"
  /** The requested address is the subnet's gateway. */
  | "Gateway"
  /** The requested address is in the subnet's excludeIps. */
  | "Excluded"
  /** Another live owner holds the requested address. */
  | "InUse"
  /** The requested address was released recently and is held before reuse. */
  | "OnHold"
  /** The owner already holds a different address (an owner holds one at a time). */
  | "OwnerHasAddress"
  /** The request cannot be read (not an address, a multicast MAC, …). */
  | "Invalid";

export interface Refusal {
  readonly ok: false;
  readonly code: RefusalCode;
  /** For people: what was wrong and what to do. */
  readonly message: string;
  /** InUse: the owner holding the address. */
  readonly holder?: string;
  /** OnHold: when (engine clock, ms) the address can be handed out again. */
  readonly availableAt?: number;
}

export interface Allocated {
  readonly ok: true;
  readonly ip: Ipv4;
  /** false when the owner already held this address (the call was a repeat). */
  readonly created: boolean;
}

export type AllocationResult = Allocated | Refusal;

export interface Released {
  readonly ip: Ipv4;
  /** When the address can be handed out again (= the release time when not held). */
  readonly availableAt: number;
}

/** A (owner, address) pair as the engine records it in committed state (a pod's status.podIP). */
export interface OwnedAddress {
  readonly owner: string;
  readonly ip: string | Ipv4;
}

/** A hold to carry over a restart: the address and when its hold ends. */
export interface HeldAddress {
  readonly ip: string | Ipv4;
  readonly until: number;
}

export type RestoreProblemCode =
  /** Two owners recorded for one address: the first listed keeps it, the other is not restored. */
  | "DuplicateAddress"
  /** One owner recorded with two addresses: the first is kept. */
  | "OwnerHasTwoAddresses"
  /** The address is outside the subnet or every pool range: not restored. */
  | "OutsideRange"
  /** The address cannot be read: not restored. */
  | "Invalid"
  /** The plan now reserves or excludes the address: kept for its owner until it is released. */
  | "NowReserved"
  /** A recorded MAC cannot be a static MAC: the owner keeps its address with the derived MAC. */
  | "InvalidMac"
  /** Two owners recorded with one static MAC: the first keeps it, the other gets the derived MAC. */
  | "DuplicateMac";

export interface RestoreProblem {
  readonly code: RestoreProblemCode;
  readonly owner: string;
  readonly ip: string;
  /** Whether the owner holds the address in the rebuilt allocator. */
  readonly kept: boolean;
  /** DuplicateAddress: the owner that kept the address. */
  readonly holder?: string;
  readonly message: string;
}

/** "in 12 s", for messages about holds. */
export function inSeconds(until: number, now: number): string {
  return `in ${Math.max(1, Math.ceil((until - now) / 1000))} s`;
}

/** A restore problem for a record that was not restored (`kept: false`). */
export function problem(
  code: RestoreProblem["code"],
  owner: string,
  ip: string,
  message: string,
  holder?: string,
): RestoreProblem {
  return { code, owner, ip, kept: false, message, ...(holder === undefined ? {} : { holder }) };
}
