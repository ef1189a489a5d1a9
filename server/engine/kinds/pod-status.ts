/**
 * Pure predicates on a pod's lifecycle, shared by the Pod kind's state hooks and informer
 * handler (kinds/pod.ts), the engine state and the controllers. They live in kinds/ so the
 * kind modules need no value import from core/ or scheduler/ (which import the registry:
 * a cycle that would leave KINDS half-built at load).
 *
 * Guarantees: functions of the pod alone; no allocation.
 */
import type { Pod } from "./types";

/** Finished: Succeeded or Failed (a terminal phase never changes again). */
export const isTerminal = (p: Pod): boolean => p.status.phase === "Succeeded" || p.status.phase === "Failed";
/** Neither finished nor being deleted. */
export const isLive = (p: Pod): boolean => p.deletionTimestamp === undefined && !isTerminal(p);
/** A pod holds node resources until it is gone or has finished. */
export const holdsNode = (p: Pod): boolean => p.nodeId !== undefined && !isTerminal(p);
/** A pod counts against quota unless finished or being deleted. */
export const countsForQuota = (p: Pod): boolean => !isTerminal(p) && p.deletionTimestamp === undefined;
/** Waiting for a node: unbound, not being deleted, Pending (the scheduler's queue). */
export const isUnscheduled = (p: Pod): boolean =>
  p.nodeId === undefined && p.deletionTimestamp === undefined && p.status.phase === "Pending";
