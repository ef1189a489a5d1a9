/**
 * Released addresses waiting out their hold, oldest first: a growable ring of (key, until)
 * pairs in typed arrays, so a hold costs 12 bytes and no object. Guarantees: `expire(now)`
 * hands back, in release order, every key whose hold ended at or before `now` (until ≤ now)
 * and none whose hold has not; a key whose `until` is earlier than one queued before it (the
 * clock stepped back) is released no sooner than that earlier entry: late, never early.
 */
export class HoldQueue {
  private keys = new Uint32Array(16);
  private untils = new Float64Array(16);
  private head = 0;
  private count = 0;

  get size(): number {
    return this.count;
  }

  get bytes(): number {
    return this.keys.byteLength + this.untils.byteLength;
  }

  push(key: number, until: number): void {
    if (this.count === this.keys.length) this.grow();
    const at = (this.head + this.count) % this.keys.length;
    this.keys[at] = key;
    this.untils[at] = until;
    this.count++;
  }

  /** When the next hold ends, or undefined when nothing is held. */
  nextUntil(): number | undefined {
    return this.count === 0 ? undefined : this.untils[this.head];
  }

  /** Pops every key whose hold has ended by `now`, calling `free` with each. */
  expire(now: number, free: (key: number) => void): void {
    while (this.count > 0 && (this.untils[this.head] as number) <= now) {
      const key = this.keys[this.head] as number;
      this.head = (this.head + 1) % this.keys.length;
      this.count--;
      free(key);
    }
  }

  /** When `key`'s hold ends (a scan: used on refusal paths and restores, not on allocation). */
  untilOf(key: number): number | undefined {
    for (let i = 0; i < this.count; i++) {
      const at = (this.head + i) % this.keys.length;
      if (this.keys[at] === key) return this.untils[at];
    }
    return undefined;
  }

  /** Every held (key, until), oldest first: for persisting holds and for tests. */
  *entries(): IterableIterator<{ key: number; until: number }> {
    for (let i = 0; i < this.count; i++) {
      const at = (this.head + i) % this.keys.length;
      yield { key: this.keys[at] as number, until: this.untils[at] as number };
    }
  }

  private grow(): void {
    const keys = new Uint32Array(this.keys.length * 2);
    const untils = new Float64Array(this.keys.length * 2);
    for (let i = 0; i < this.count; i++) {
      const at = (this.head + i) % this.keys.length;
      keys[i] = this.keys[at] as number;
      untils[i] = this.untils[at] as number;
    }
    this.keys = keys;
    this.untils = untils;
    this.head = 0;
  }
}
