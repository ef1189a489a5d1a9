/**
 * Leadership in one process, over a lease whose moves the test makes (free, taken by another,
 * lost), and the services' wiring: on a standby engine calls answer "standby", and a commit of
 * services that hold no lease any more is refused by the store before it writes.
 */
import { afterEach, describe, expect, it } from "vitest";
import type { EngineLease, LeaseStatus } from "@/db/lease";
import { createLocalLease } from "@/db/lease";
import { isEngineError } from "../engine";
import { createServices } from "../services";
import { openTestDatabase } from "../testing/database";
import { createLeadership } from "./leadership";
import { guardStandby } from "./standby-guard";

const cleanups: (() => Promise<void>)[] = [];
afterEach(async () => {
  for (const cleanup of cleanups.splice(0).reverse()) await cleanup();
});

/** A lease the test moves by hand. */
function manualLease(free: boolean) {
  let status: LeaseStatus = { role: "standby", holder: "me" };
  let grant: () => void = () => undefined;
  const listeners: ((reason: string) => void)[] = [];
  const lease: EngineLease = {
    holder: "me",
    tryAcquire: async () => {
      if (free) status = { role: "leader", holder: "me", epoch: 1 };
      return free;
    },
    acquire: () =>
      new Promise<void>((resolve) => {
        grant = () => {
          status = { role: "leader", holder: "me", epoch: 2 };
          resolve();
        };
      }),
    fence: async () => undefined,
    status: () => status,
    onLost: (listener) => void listeners.push(listener),
    release: async () => undefined,
  };
  return {
    lease,
    grant: () => grant(),
    lose(reason: string) {
      status = { ...status, role: "lost", reason };
      for (const listener of listeners) listener(reason);
    },
  };
}

function recorder() {
  const calls: string[] = [];
  return {
    calls,
    lead: async () => void calls.push("lead"),
    stepDown: async () => void calls.push("stepDown"),
    onLost: (reason: string) => void calls.push(`lost: ${reason}`),
  };
}

describe("leadership", () => {
  it("leads at once when the lease is free", async () => {
    const m = manualLease(true);
    const r = recorder();
    const leadership = createLeadership({ lease: m.lease, ...r, log: () => undefined });
    await leadership.start();
    expect(leadership.isLeader()).toBe(true);
    expect(r.calls).toEqual(["lead"]);
  });

  it("stands by while another process leads, and leads once the lease is taken", async () => {
    const m = manualLease(false);
    const r = recorder();
    const leadership = createLeadership({ lease: m.lease, ...r, log: () => undefined });
    await leadership.start();
    expect(leadership.isLeader()).toBe(false);
    expect(leadership.status().role).toBe("standby");
    expect(r.calls).toEqual([]);
    m.grant();
    await leadership.whenLeader();
    expect(leadership.isLeader()).toBe(true);
    expect(leadership.status()).toMatchObject({ role: "leader", epoch: 2 });
    expect(r.calls).toEqual(["lead"]);
  });

  it("a standby follows before it waits, and a lease taken while it still loads leads once it has loaded", async () => {
    const m = manualLease(false);
    const r = recorder();
    let loaded: () => void = () => undefined;
    const leadership = createLeadership({
      lease: m.lease,
      ...r,
      standBy: () =>
        new Promise<void>((resolve) => {
          r.calls.push("standBy");
          loaded = () => {
            r.calls.push("followed");
            resolve();
          };
        }),
      log: () => undefined,
    });
    const starting = leadership.start();
    await expect.poll(() => r.calls).toEqual(["standBy"]);
    m.grant();
    await new Promise((resolve) => setTimeout(resolve, 10));
    expect(r.calls).toEqual(["standBy"]); // not beside the load
    loaded();
    await starting;
    await leadership.whenLeader();
    expect(r.calls).toEqual(["standBy", "followed", "lead"]);
  });

  it("a standby that cannot follow stays a standby, and leads later all the same", async () => {
    const m = manualLease(false);
    const r = recorder();
    const logs: string[] = [];
    const leadership = createLeadership({
      lease: m.lease,
      ...r,
      standBy: async () => {
        throw new Error("no change log");
      },
      log: (message) => void logs.push(message),
    });
    await leadership.start();
    expect(logs.some((l) => /could not follow the store/.test(l))).toBe(true);
    expect(leadership.status().role).toBe("standby");
    m.grant();
    await leadership.whenLeader();
    expect(r.calls).toEqual(["lead"]);
  });

  it("steps down, then tells its owner, when the lease is lost; a lease lost while starting waits for the start", async () => {
    const m = manualLease(true);
    const calls: string[] = [];
    let started: () => void = () => undefined;
    let leading: () => void = () => undefined;
    const leadBegan = new Promise<void>((resolve) => {
      leading = resolve;
    });
    const leadership = createLeadership({
      lease: m.lease,
      lead: () =>
        new Promise<void>((resolve) => {
          leading();
          started = () => {
            calls.push("lead");
            resolve();
          };
        }),
      stepDown: async () => void calls.push("stepDown"),
      onLost: (reason) => void calls.push(`lost: ${reason}`),
      log: () => undefined,
    });
    const starting = leadership.start();
    await leadBegan;
    m.lose("session ended");
    expect(calls).toEqual([]);
    started();
    await starting;
    await expect.poll(() => calls).toEqual(["lead", "stepDown", "lost: session ended"]);
    expect(leadership.isLeader()).toBe(false);
    expect(leadership.status().role).toBe("lost");
  });
});

describe("standby guard", () => {
  it("answers every engine call with UNAVAILABLE on a standby and passes them through on the leader", () => {
    let leader = false;
    const engine = guardStandby({ count: () => 3, internals: { x: 1 } }, { isLeader: () => leader });
    const error = (() => {
      try {
        engine.count();
      } catch (e) {
        return e;
      }
    })();
    expect(isEngineError(error) && error.code).toBe("UNAVAILABLE");
    expect((error as Error).message).toMatch(/^standby: the engine runs in another process/);
    expect(() => engine.internals).toThrow(/standby/);
    expect((engine as { then?: unknown }).then).toBeUndefined(); // awaiting it is no engine call
    leader = true;
    expect(engine.count()).toBe(3);
    expect(engine.internals.x).toBe(1);
  });
});

describe("services with a lease", () => {
  it("refuse, in the store, a commit made after the lease is gone, and write nothing of it", async () => {
    const database = await openTestDatabase();
    cleanups.push(() => database.close());
    const lease = createLocalLease(database.db, undefined, () => undefined);
    const services = createServices(
      database,
      { baseURL: "http://localhost:3000", secret: "test-secret-test-secret-test-secret-32" },
      { lease },
    );
    cleanups.push(() => services.stop());
    await services.start();
    expect(services.engineHealth()).toMatchObject({ status: "running", role: "leader", epoch: 1 });
    await services.engine.setQuota("t", { pods: 3 });
    // Gone without a word to the services (as a lease whose session ends unseen): only the fence knows.
    await lease.release();
    await expect(services.engine.setQuota("t", { pods: 9 })).rejects.toThrow(/store did not accept/);
    await services.engine.whenIdle();
    expect(services.engine.getQuota("t").limits.pods).toBe(3);
  });
});
