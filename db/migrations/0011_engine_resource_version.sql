-- Custom SQL migration file, put your code below! --
-- Objects written before resource versions kept `version` (a count of staged changes) in their body; the engine now
-- reads `resourceVersion`, the change-log revision that last wrote the object. The old count becomes the object's
-- resourceVersion: the engine starts its revisions above the largest one, so every later write is newer. Re-running
-- finds nothing left to rename.
UPDATE "engine_object"
SET "data" = ("data" - 'version') || jsonb_build_object('resourceVersion', coalesce("data"->'version', to_jsonb("version")))
WHERE "data" ? 'version' AND NOT ("data" ? 'resourceVersion');--> statement-breakpoint
UPDATE "engine_object" SET "data" = "data" - 'version' WHERE "data" ? 'version';
--> statement-breakpoint
-- Events written before namespaces: their tenant's first namespace (named by its slug, see 0009_namespaces).
UPDATE "engine_event" e SET "namespace" = t."slug" FROM "organization" t
WHERE t."id" = e."tenant_id" AND e."namespace" IS NULL;
