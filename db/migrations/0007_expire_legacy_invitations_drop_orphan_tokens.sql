-- Custom SQL migration file, put your code below! --
-- Invitations made before secret links existed can never be accepted (no link was ever shown): expire them, so
-- that the members page lists only invitations whose link someone holds. The inviter invites again.
UPDATE "invitation" SET "status" = 'expired' WHERE "status" = 'pending' AND "token_hash" IS NULL;--> statement-breakpoint
-- Before this release, removing a member left their tenant tokens behind. Such a token must not come back to life
-- when the person is invited again: delete every tenant token whose creator is no longer a member of its tenant.
DELETE FROM "apikey" WHERE "scope" = 'tenant' AND NOT EXISTS (
  SELECT 1 FROM "member" WHERE "member"."organization_id" = "apikey"."tenant_id" AND "member"."user_id" = "apikey"."reference_id"
);
