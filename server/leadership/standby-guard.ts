/**
 * The engine as requests see it on a standby: every command, query and read of its internals
 * throws UNAVAILABLE ("standby: the engine runs in another process"), which the API answers as
 * 503, instead of answering from an engine that has loaded nothing (empty lists would read as
 * "you have nothing"). On the leader the guard passes every call through unchanged.
 * The jobs around the engine (billing, monitoring, history) hold the engine itself: they only
 * run on the leader.
 */
import { EngineError } from "../engine";

const standbyMessage =
  "standby: the engine runs in another process; try again in a few seconds, or on the active server";

export function standbyError(): EngineError {
  return new EngineError("UNAVAILABLE", standbyMessage, { key: "lease.standby", text: standbyMessage });
}

export function guardStandby<T extends object>(engine: T, isLeader: () => boolean): T {
  const wrapped = new Map<PropertyKey, unknown>();
  return new Proxy(engine, {
    get(target, property, receiver) {
      const value: unknown = Reflect.get(target, property, receiver);
      // Symbols and absent names (`then`, probed by every await) are no reads of the engine.
      if (typeof value !== "function") {
        if (value !== undefined && typeof property === "string" && !isLeader()) throw standbyError();
        return value;
      }
      let guarded = wrapped.get(property);
      if (!guarded) {
        const fn = value as (...args: unknown[]) => unknown;
        guarded = (...args: unknown[]) => {
          if (!isLeader()) throw standbyError();
          return fn.apply(target, args);
        };
        wrapped.set(property, guarded);
      }
      return guarded;
    },
  });
}
