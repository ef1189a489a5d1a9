/** One procedure's isolation case (isolation.test.ts walks them; each area's cases sit in isolation-cases/). */
import type { World } from "@/server/testing/world";

export interface Case {
  /** A valid input acting on the caller's own tenant (tenant A). */
  own: (w: World) => unknown;
  /** An input naming tenant B's objects, and what must happen with it. */
  foreign:
    | { input: (w: World) => unknown; expect: "NOT_FOUND" }
    | { input: (w: World) => unknown; expect: "CONFLICT" }
    | { input: (w: World) => unknown; expect: "scoped"; shows?: (result: unknown, w: World) => void | Promise<void> }
    | null;
}
