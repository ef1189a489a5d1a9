/**
 * How many calls the console's httpBatchLink puts in one request. The server's cap on calls per
 * batch (`TRPC_MAX_BATCH_CALLS`, rate-limit.ts) never goes below it, so the console is never
 * refused for batching. No imports: the browser bundle reads this too.
 */
export const consoleBatchItems = 25;
