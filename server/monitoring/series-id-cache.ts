import { MINUTE } from "@/db/queries/monitoring";

/**
 * Series ids by "pod/container", in two generations of ten minutes of samples: an id not used
 * for a whole generation is dropped, so the containers of deleted pods do not pile up.
 */
export function createSeriesIdCache(generationMs = 10 * MINUTE) {
  let current = new Map<string, number>();
  let previous = new Map<string, number>();
  let generationStart = -Infinity;
  return {
    get(name: string): number | undefined {
      let id = current.get(name);
      if (id === undefined) {
        id = previous.get(name);
        if (id !== undefined) current.set(name, id);
      }
      return id;
    },
    set: (name: string, id: number) => void current.set(name, id),
    has(name: string) {
      return this.get(name) !== undefined;
    },
    /** Called with each round's instant. */
    advance(at: number) {
      if (at - generationStart < generationMs) return;
      previous = current;
      current = new Map();
      generationStart = at;
    },
    clear() {
      current.clear();
      previous.clear();
    },
  };
}
