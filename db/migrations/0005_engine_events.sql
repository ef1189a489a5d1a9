CREATE TABLE "engine_event" (
	"id" text PRIMARY KEY NOT NULL,
	"tenant_id" text NOT NULL,
	"object_kind" text NOT NULL,
	"object_name" text NOT NULL,
	"type" text NOT NULL,
	"reason" text NOT NULL,
	"message" text NOT NULL,
	"count" integer NOT NULL,
	"first_time" bigint NOT NULL,
	"last_time" bigint NOT NULL,
	"version" integer NOT NULL
);
--> statement-breakpoint
DROP INDEX "engine_object_tenant_kind_idx";--> statement-breakpoint
INSERT INTO "engine_event" ("id", "tenant_id", "object_kind", "object_name", "type", "reason", "message", "count", "first_time", "last_time", "version")
SELECT "id", "tenant_id", "data"->>'objectKind', "data"->>'objectName', "data"->>'type', "data"->>'reason', "data"->>'message', ("data"->>'count')::integer, ("data"->>'firstTime')::bigint, ("data"->>'lastTime')::bigint, "version"
FROM "engine_object" WHERE "kind" = 'Event';--> statement-breakpoint
DELETE FROM "engine_object" WHERE "kind" = 'Event';
