import { createCallerFactory, createTRPCRouter } from "./init";
import { adminRouter } from "./routers/admin";
import { auditRouter } from "./routers/audit";
import { membersRouter } from "./routers/members";
import { sessionRouter } from "./routers/session";
import { tenantsRouter } from "./routers/tenants";
import { tokensRouter } from "./routers/tokens";

export const appRouter = createTRPCRouter({
  session: sessionRouter,
  tenants: tenantsRouter,
  members: membersRouter,
  tokens: tokensRouter,
  audit: auditRouter,
  admin: adminRouter,
});

export type AppRouter = typeof appRouter;
export const createCaller = createCallerFactory(appRouter);
