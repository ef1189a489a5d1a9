CREATE TABLE "engine_change_compaction" (
	"id" integer PRIMARY KEY DEFAULT 1 NOT NULL,
	"oldest_revision" bigint NOT NULL
);
--> statement-breakpoint
-- Objects' bodies move into the change log: each object's body becomes the log row of the revision that last wrote
-- it (most are there already; objects last written before the log began, or compacted out of it, are copied in).
-- Those copies sit below the log's first complete revision, which is recorded first: readers from before it re-list.
INSERT INTO "engine_change_compaction" ("id", "oldest_revision")
SELECT 1, coalesce((SELECT min("revision") FROM "engine_change"), (SELECT max("version") + 1 FROM "engine_object"), 1)
ON CONFLICT ("id") DO NOTHING;
--> statement-breakpoint
INSERT INTO "engine_change" ("revision", "kind", "id", "namespace", "name", "tenant_id", "type", "object", "at")
SELECT "version", "kind", "id", "data"->>'namespace', "data"->>'name', "tenant_id", 'MODIFIED', "data", 0 FROM "engine_object"
ON CONFLICT ("revision", "kind", "id") DO UPDATE SET "object" = excluded."object";
--> statement-breakpoint
ALTER TABLE "engine_object" DROP COLUMN "data";
