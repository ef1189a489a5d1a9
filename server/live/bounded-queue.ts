/**
 * A bounded FIFO between a synchronous producer (the engine's commit fan-out) and one async
 * consumer (a subscriber's stream).
 * Guarantees:
 * - It never holds more than `cap` items. A push onto a full queue drops the whole backlog and
 *   leaves one item, `onOverflow()` (for the console: a `resync` note), then carries on: a
 *   slow or vanished reader costs at most `cap` items, however long it stays away.
 * - `push` never blocks and never throws; after `close()` it does nothing.
 * - `take()` resolves with the oldest item, or `undefined` once the queue is closed (pending
 *   takes included), so a consumer waiting on it ends as soon as its request is aborted.
 */
export interface BoundedQueue<T> {
  push(item: T): void;
  take(): Promise<T | undefined>;
  /** Whether some queued item matches (coalescing: one heartbeat queued at a time). */
  some(predicate: (item: T) => boolean): boolean;
  close(): void;
  readonly size: number;
  readonly closed: boolean;
  /** How many times the backlog was dropped. */
  readonly overflows: number;
}

export function createBoundedQueue<T>(cap: number, onOverflow: () => T): BoundedQueue<T> {
  if (!Number.isInteger(cap) || cap < 1) throw new RangeError("queue cap must be a positive integer");
  let items: T[] = [];
  let head = 0;
  let closed = false;
  let overflows = 0;
  let waiter: ((item: T | undefined) => void) | undefined;

  const size = () => items.length - head;
  const shift = (): T | undefined => {
    if (head >= items.length) return undefined;
    const item = items[head] as T;
    items[head] = undefined as T; // let it be collected before the array is compacted
    head++;
    if (head > 1024 && head * 2 > items.length) {
      items = items.slice(head);
      head = 0;
    }
    return item;
  };

  return {
    push(item) {
      if (closed) return;
      if (waiter) {
        const wake = waiter;
        waiter = undefined;
        wake(item);
        return;
      }
      if (size() >= cap) {
        overflows++;
        items = [onOverflow()];
        head = 0;
        return;
      }
      items.push(item);
    },
    take() {
      if (size() > 0) return Promise.resolve(shift());
      if (closed) return Promise.resolve(undefined);
      if (waiter) throw new Error("bounded queue: one consumer at a time");
      return new Promise((resolve) => {
        waiter = resolve;
      });
    },
    some(predicate) {
      for (let i = head; i < items.length; i++) if (predicate(items[i] as T)) return true;
      return false;
    },
    close() {
      closed = true;
      items = [];
      head = 0;
      const wake = waiter;
      waiter = undefined;
      wake?.(undefined);
    },
    get size() {
      return size();
    },
    get closed() {
      return closed;
    },
    get overflows() {
      return overflows;
    },
  };
}
