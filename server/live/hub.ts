/**
 * The live stream's ports for one set of services (one per process, one per test harness):
 * the engine's change feed, monitoring's samples signal and the wall ticker. Made on first use
 * and kept with the services, so that the engine-clock rate is measured across subscribers.
 * Nothing here runs on its own: every timer and watch belongs to a subscriber's stream.
 */
import type { Services } from "../services";
import { engineFeed } from "./engine-feed";
import type { ChangeFeed, SamplesSignal, Ticker } from "./feed";
import { wallTicker } from "./feed";

export interface LivePorts {
  feed: ChangeFeed;
  samples: SamplesSignal;
  ticker: Ticker;
}

const ports = new WeakMap<Services, LivePorts>();

export function livePortsFor(services: Services): LivePorts {
  let found = ports.get(services);
  if (!found) {
    found = {
      feed: engineFeed(services.engine, services.clock),
      samples: services.monitoring,
      ticker: wallTicker,
    };
    ports.set(services, found);
  }
  return found;
}

/** Tests: a ticker they drive, or a feed they wrap, in place of the defaults (before anyone subscribes). */
export function setLivePorts(services: Services, overrides: Partial<LivePorts>): LivePorts {
  const set = { ...livePortsFor(services), ...overrides };
  ports.set(services, set);
  return set;
}
