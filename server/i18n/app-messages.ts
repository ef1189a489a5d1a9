/**
 * The server's fixed English texts (AppError messages and schema messages written without a
 * catalog key), read back into catalog keys like gettext reads a msgid: so a refusal thrown
 * before this table existed, in code other people own, still reaches a reader in their
 * language. A thrower that attaches a `detail` does not need an entry; an entry that stops
 * matching (a reworded text) falls back to the English text, never to an error.
 */
import { type Template, templateReader } from "@/i18n/engine-messages";

export const appTexts: Template[] = [
  // Sign-in, tokens and roles (server/trpc/init.ts, server/auth/principal.ts).
  { id: "signIn", template: "Sign in to continue." },
  { id: "chooseTenant", template: "Choose a tenant first (create one or switch to one)." },
  { id: "notMember", template: "You are not a member of this tenant." },
  { id: "tokenCreatorGone", template: "The token's creator is no longer a member of its tenant." },
  { id: "needsRole", template: "This needs the {minRole:errors.roles} role or higher; you are {role:errors.roles}." },
  { id: "operatorsOnly", template: "Only operators can do this." },
  { id: "operatorTokenReads", template: "Operator API tokens read; changes need a signed-in operator." },
  { id: "tokenInvalid", template: "The API token is invalid or has been revoked." },
  { id: "tokenExpired", template: "The API token has expired." },
  { id: "tokenMalformed", template: "The API token is malformed." },
  { id: "tokenNotOperator", template: "The API token's creator is no longer an operator." },
  { id: "tokenBound", template: "API tokens are bound to their tenant." },
  { id: "tokenNoTenants", template: "API tokens act inside one tenant and cannot create tenants." },
  { id: "tokenFromConsole", template: "Create tokens from the console, not with another token." },
  { id: "revokeOthers", template: "Only admins and owners can revoke another member's token." },
  // Members and tenants.
  { id: "ownerRole", template: "Only an owner can grant, change or remove the owner role." },
  { id: "lastOwner", template: "The last owner cannot be removed: make someone else an owner first." },
  { id: "needsOwner", template: "A tenant needs at least one owner: make someone else an owner first." },
  { id: "alreadyMember", template: "{email} is already a member of this tenant." },
  { id: "slugTaken", template: 'The tenant id "{slug}" is taken; choose another.', field: "slug" },
  { id: "needsOperator", template: "The installation needs at least one operator." },
  { id: "memberNotFound", template: "Member not found." },
  { id: "invitationNotFound", template: "Invitation not found." },
  { id: "tokenNotFound", template: "API token not found." },
  { id: "userNotFound", template: "User not found." },
  { id: "alertRuleNotFound", template: "Alert rule not found." },
  { id: "tenantNotFound", template: "Tenant not found." },
  { id: "roleInvalid", template: "Role must be one of owner, admin, member or viewer.", field: "role" },
  // Invitations (server/trpc/routers/invitations.ts; the refusals of server/tenancy/invitations.ts carry their own detail).
  { id: "invitationByToken", template: "Invitations are accepted in the console, not with an API token." },
  { id: "invitationLinkIncomplete", template: "The invitation link is incomplete.", field: "secret" },
  { id: "invitationLinkTooLong", template: "The invitation link is too long.", field: "secret" },
  // Sign-in and sign-up (server/auth: better-auth answers these; the console's form says them by code).
  {
    id: "passwordWeak",
    template:
      "This password is too easy to guess (a common password, a pattern, or your own name or email). Choose a longer or less common one.",
    field: "password",
  },
  { id: "signInThrottled", template: "Too many failed sign-in attempts. Try again in {seconds} second(s)." },
  // Limits and the boundary (server/http, server/trpc/storable-text.ts), for answers written outside the formatter.
  {
    id: "tooManyReads",
    template:
      "Too many requests: at most {budget:raw} reads per {window} s for each account and each API token. Try again in {seconds} s.",
  },
  {
    id: "tooManyWrites",
    template:
      "Too many requests: at most {budget:raw} changes per {window} s for each account and each API token. Try again in {seconds} s.",
  },
  {
    id: "batchTooLarge",
    template: "A batch may carry at most {max} calls; this one has {calls}. Send them in smaller batches.",
  },
  {
    id: "unstorableKey",
    template: 'Field "{field:path}" has a key that contains {what:unstorable}, which cannot be stored; remove it.',
  },
  {
    id: "unstorableField",
    template: 'Field "{field:path}" contains {what:unstorable}, which cannot be stored; remove it.',
  },
  {
    id: "unstorableInputKey",
    template: "The input has a key that contains {what:unstorable}, which cannot be stored; remove it.",
  },
  { id: "unstorableInput", template: "The input contains {what:unstorable}, which cannot be stored; remove it." },
  // Monitoring and rollbacks.
  { id: "noSamples", template: "No samples yet for container {container} of {pod}." },
  { id: "revisionNotKept", template: "Revision {revision} of {deployment} is not kept." },
  // Price plans (server/trpc/routers/billing-admin.ts).
  {
    id: "planInPast",
    template:
      "A price change cannot start in the past: closed and running periods keep the prices they were metered at.",
    field: "effectiveFrom",
  },
  { id: "planCurrency", template: "All plans use {currency}; the currency cannot change.", field: "currency" },
  // Schema messages (server/trpc/schemas.ts and the routers' inputs).
  {
    id: "unstorable",
    template: "Contains a NUL character (U+0000) or an unpaired UTF-16 surrogate, which cannot be stored; remove it.",
  },
  { id: "idRequired", template: "An id is required." },
  { id: "idTooLong", template: "Ids are at most 64 characters." },
  { id: "emailInvalid", template: "Enter a valid email address." },
  { id: "nameRequired", template: "A name is required." },
  { id: "nameTooLong", template: "Names are at most {max} characters." },
  { id: "slugRule", template: "Use lowercase letters, digits and '-', starting and ending with a letter or digit." },
  { id: "replicasNegative", template: "Replicas cannot be negative." },
  { id: "replicasMax", template: "At most 1,000 replicas." },
  { id: "expiryMin", template: "Expiry is at least 1 day." },
  { id: "expiryMax", template: "Expiry is at most 366 days." },
  { id: "amountNotZero", template: "The amount cannot be zero." },
  { id: "topUpMin", template: "Top up at least 1.00." },
  { id: "topUpMax", template: "Top up at most 100,000.00 at once." },
  // Namespace quotas (server/trpc/routers/resource-quotas.ts).
  { id: "quotaNeedsLimit", template: "A quota limits at least one of cpu, memory and pods." },
  { id: "quotaDeletedMeanwhile", template: 'resourcequotas "{name}" was deleted meanwhile' },
];

export const parseAppMessage = templateReader("appMessages", appTexts);
