/**
 * Live updates: one subscription per open console (server-sent events through tRPC's
 * httpSubscriptionLink), carrying small notes about changes, the engine time and new
 * monitoring samples, so that pages refetch what changed instead of polling
 * (server/live/stream.ts states the stream's guarantees: in scope only, bounded, resumable).
 */
import { z } from "zod";
import { mayStillOperate, mayStillRead } from "../../live/access";
import { livePortsFor } from "../../live/hub";
import { liveStream } from "../../live/stream";
import { createTRPCRouter, operatorProcedure, tenantProcedure } from "../init";
import { textSchema } from "../schemas";

/** tRPC's client puts the EventSource's last id here when it reconnects. */
const resumeInput = z
  .object({ lastEventId: textSchema().max(32).nullish() })
  .strict()
  .optional();

export const liveRouter = createTRPCRouter({
  /** The caller's tenant's changes, from now or from `lastEventId`. */
  changes: tenantProcedure("viewer")
    .input(resumeInput)
    .subscription(async function* ({ ctx, input, signal }) {
      const { services, headers, tenant } = ctx;
      yield* liveStream({
        ...livePortsFor(services),
        scope: { tenantId: tenant.id },
        lastEventId: input?.lastEventId,
        signal,
        stillAllowed: () => mayStillRead(services, headers, tenant.id),
      });
    }),

  /** Operators' dashboard: every tenant's changes, named as they are to operators elsewhere. */
  cluster: operatorProcedure.input(resumeInput).subscription(async function* ({ ctx, input, signal }) {
    const { services, headers } = ctx;
    yield* liveStream({
      ...livePortsFor(services),
      scope: { cluster: true },
      lastEventId: input?.lastEventId,
      signal,
      stillAllowed: () => mayStillOperate(services, headers),
    });
  }),
});
