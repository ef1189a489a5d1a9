/**
 * Drops counted by reason per subject (a pod's port, a public IP, a security group rule: the
 * caller's key), in packets and bytes, for monitoring and the pod page's "drops by reason".
 * A table (state is the point): one Float64Array per subject, indexed by DROP_CODES.
 */
import { DROP_CODES, type DropCode } from "./drop-reason";

const CODE_INDEX: ReadonlyMap<DropCode, number> = new Map(DROP_CODES.map((c, i) => [c, i]));
const WIDTH = DROP_CODES.length;

export type DropCounts = Readonly<Record<DropCode, { packets: number; bytes: number }>>;

export class DropCounters {
  private readonly bySubject = new Map<string, Float64Array>();

  record(subject: string, code: DropCode, packets: number, bytes = 0): void {
    let row = this.bySubject.get(subject);
    if (row === undefined) {
      row = new Float64Array(WIDTH * 2);
      this.bySubject.set(subject, row);
    }
    const i = CODE_INDEX.get(code) as number;
    row[i] = (row[i] as number) + packets;
    row[WIDTH + i] = (row[WIDTH + i] as number) + bytes;
  }

  /** Every code's counts for the subject (zeros when it never dropped). */
  countsOf(subject: string): DropCounts {
    const row = this.bySubject.get(subject);
    return Object.fromEntries(
      DROP_CODES.map((c, i) => [c, { packets: row?.[i] ?? 0, bytes: row?.[WIDTH + i] ?? 0 }]),
    ) as DropCounts;
  }

  /** Packets dropped for `code` over every subject. */
  totalPackets(code: DropCode): number {
    const i = CODE_INDEX.get(code) as number;
    let sum = 0;
    for (const row of this.bySubject.values()) sum += row[i] as number;
    return sum;
  }

  subjects(): IterableIterator<string> {
    return this.bySubject.keys();
  }

  /** Forget a subject (its pod is gone). */
  delete(subject: string): void {
    this.bySubject.delete(subject);
  }
}
