CREATE TABLE "engine_object" (
	"kind" text NOT NULL,
	"id" text NOT NULL,
	"tenant_id" text NOT NULL,
	"version" integer NOT NULL,
	"data" jsonb NOT NULL,
	CONSTRAINT "engine_object_kind_id_pk" PRIMARY KEY("kind","id")
);
--> statement-breakpoint
CREATE INDEX "engine_object_tenant_kind_idx" ON "engine_object" USING btree ("tenant_id","kind");