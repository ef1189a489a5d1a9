import fc from "fast-check";
import { describe, expect, it } from "vitest";
import { Bitmap } from "./bitmap";

/** The obvious answer, bit by bit. */
function naiveFindClear(set: Set<number>, size: number, from: number, wrap: boolean): number {
  const start = from >= size || from < 0 ? 0 : from;
  if (start === 0 && from !== 0 && !wrap) return -1;
  for (let i = start; i < size; i++) if (!set.has(i)) return i;
  if (wrap) for (let i = 0; i < start; i++) if (!set.has(i)) return i;
  return -1;
}

describe("Bitmap", () => {
  it("finds the next clear bit after the cursor, wrapping once, and -1 when full", () => {
    const b = new Bitmap(70);
    for (let i = 0; i < 70; i++) if (i !== 3 && i !== 65) b.set(i);
    expect(b.findClear(0)).toBe(3);
    expect(b.findClear(4)).toBe(65);
    expect(b.findClear(66)).toBe(3);
    expect(b.findClear(66, false)).toBe(-1);
    b.set(3);
    b.set(65);
    expect(b.findClear(10)).toBe(-1);
  });

  it("never finds the padding past its size", () => {
    const b = new Bitmap(33);
    for (let i = 0; i < 33; i++) b.set(i);
    expect(b.findClear(0)).toBe(-1);
    expect(new Bitmap(0).findClear(0)).toBe(-1);
  });

  it("sets ranges across word boundaries and counts the bits it newly set", () => {
    const b = new Bitmap(200);
    b.set(40);
    expect(b.setRange(30, 130)).toBe(100);
    for (let i = 0; i < 200; i++) expect(b.has(i)).toBe(i >= 30 && i <= 130);
    expect(b.setRange(0, 199)).toBe(99);
    expect(b.bytes).toBe(28);
  });

  it("agrees with a bit-by-bit search for any set of bits and any cursor", () => {
    fc.assert(
      fc.property(
        fc.integer({ min: 1, max: 300 }),
        fc.array(fc.nat(), { maxLength: 300 }),
        fc.array(fc.tuple(fc.nat(), fc.nat({ max: 40 }))),
        fc.nat(),
        fc.boolean(),
        (size, bits, ranges, from, wrap) => {
          const b = new Bitmap(size);
          const set = new Set<number>();
          for (const x of bits) {
            b.set(x % size);
            set.add(x % size);
          }
          for (const [start, len] of ranges) {
            const first = start % size;
            const last = Math.min(size - 1, first + len);
            let fresh = 0;
            for (let i = first; i <= last; i++)
              if (!set.has(i)) {
                fresh++;
                set.add(i);
              }
            expect(b.setRange(first, last)).toBe(fresh);
          }
          if (bits.length > 0) {
            const x = (bits[0] as number) % size;
            b.clear(x);
            set.delete(x);
          }
          const cursor = from % (size + 2);
          expect(b.findClear(cursor, wrap)).toBe(naiveFindClear(set, size, cursor, wrap));
        },
      ),
    );
  });
});
