CREATE TABLE "engine_change" (
	"revision" bigint NOT NULL,
	"kind" text NOT NULL,
	"id" text NOT NULL,
	"namespace" text,
	"name" text,
	"tenant_id" text NOT NULL,
	"type" text NOT NULL,
	"object" jsonb NOT NULL,
	"at" bigint NOT NULL,
	CONSTRAINT "engine_change_revision_kind_id_pk" PRIMARY KEY("revision","kind","id")
);
--> statement-breakpoint
ALTER TABLE "engine_event" ADD COLUMN "namespace" text;--> statement-breakpoint
ALTER TABLE "engine_event" ADD COLUMN "object_namespace" text;--> statement-breakpoint
ALTER TABLE "engine_event" ADD COLUMN "object_uid" text;--> statement-breakpoint
CREATE INDEX "engine_event_version_idx" ON "engine_event" USING btree ("version");