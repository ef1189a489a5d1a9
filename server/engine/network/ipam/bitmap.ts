/**
 * A fixed-size set of small integers (address offsets) as bits in a Uint32Array: 1 bit per
 * address, so a /16 costs 8 KiB. Guarantees: `findClear(from)` returns the first clear bit at
 * or after `from`, wrapping once to the start, or -1 when every bit is set; it reads 32 bits
 * per step, so a search costs O(set bits skipped / 32). Bits past `size` in the last word are
 * kept set, so they are never found.
 */
export class Bitmap {
  private readonly words: Uint32Array;

  constructor(readonly size: number) {
    if (!Number.isInteger(size) || size < 0) throw new RangeError(`bitmap size must be a whole number, not ${size}`);
    this.words = new Uint32Array(Math.ceil(size / 32));
    const tail = size & 31;
    if (tail !== 0) this.words[this.words.length - 1] = (0xffffffff << tail) >>> 0;
  }

  /** Bytes held by the bit array. */
  get bytes(): number {
    return this.words.byteLength;
  }

  has(i: number): boolean {
    return ((this.words[i >>> 5] as number) & (1 << (i & 31))) !== 0;
  }

  set(i: number): void {
    this.words[i >>> 5] = (this.words[i >>> 5] as number) | (1 << (i & 31));
  }

  clear(i: number): void {
    this.words[i >>> 5] = (this.words[i >>> 5] as number) & ~(1 << (i & 31));
  }

  /** Sets every bit in [first, last] (inclusive); returns how many were clear before. */
  setRange(first: number, last: number): number {
    let newlySet = 0;
    for (let i = first; i <= last; ) {
      const w = i >>> 5;
      const lo = i & 31;
      const hi = Math.min(31, lo + (last - i));
      const mask = hi === 31 ? (0xffffffff << lo) >>> 0 : ((0xffffffff >>> (31 - hi)) & (0xffffffff << lo)) >>> 0;
      const before = this.words[w] as number;
      newlySet += popcount(mask & ~before);
      this.words[w] = (before | mask) >>> 0;
      i += hi - lo + 1;
    }
    return newlySet;
  }

  /**
   * First clear bit at or after `from`, or -1 when none is clear; with `wrap` (the default)
   * the search goes on from bit 0 up to `from`.
   */
  findClear(from: number, wrap = true): number {
    const n = this.words.length;
    if (n === 0) return -1;
    const start = from >= this.size || from < 0 ? 0 : from;
    if (start === 0 && from !== 0 && !wrap) return -1;
    const w0 = start >>> 5;
    // The first word, from `start` on.
    let free = ~(this.words[w0] as number) & (0xffffffff << (start & 31));
    if (free !== 0) return (w0 << 5) + lowestBit(free);
    const steps = wrap ? n : n - 1 - w0;
    for (let k = 1; k <= steps; k++) {
      const w = (w0 + k) % n;
      free = ~(this.words[w] as number);
      // Back at the first word: only the bits before `start` are left to look at.
      if (k === n) free &= ~(0xffffffff << (start & 31));
      if (free !== 0) return (w << 5) + lowestBit(free);
    }
    return -1;
  }
}

function lowestBit(x: number): number {
  return 31 - Math.clz32(x & -x);
}

function popcount(x: number): number {
  let v = x - ((x >>> 1) & 0x55555555);
  v = (v & 0x33333333) + ((v >>> 2) & 0x33333333);
  return Math.imul((v + (v >>> 4)) & 0x0f0f0f0f, 0x01010101) >>> 24;
}
