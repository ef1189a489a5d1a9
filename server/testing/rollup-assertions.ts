/**
 * Test helper: two sets of stored rollup rows (same order) agree on every key and count
 * exactly, and on every sum and maximum up to the last bits (the database adds in its own
 * order, the streams in arrival order).
 */
import { expect } from "vitest";

type Row = Record<string, unknown>;

export function expectSameRollups(actual: Row[], expected: Row[]): void {
  const keys = (rows: Row[]) => rows.map((r) => [r.level, r.key, r.tenant_id, r.resolution_ms, r.bucket, r.points]);
  expect(keys(actual)).toEqual(keys(expected));
  for (const [i, row] of actual.entries()) {
    for (const [column, value] of Object.entries(row)) {
      if (!column.endsWith("_sum") && !column.endsWith("_max")) continue;
      const want = expected[i]?.[column] as number;
      expect(
        Math.abs((value as number) - want),
        `${String(row.level)} ${String(row.key)} ${column}`,
      ).toBeLessThanOrEqual(Math.abs(want) * 1e-12);
    }
  }
}
