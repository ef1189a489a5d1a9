CREATE TABLE "billing_account" (
	"tenant_id" text PRIMARY KEY NOT NULL,
	"negative_since" bigint,
	"suspended_at" bigint,
	"suspended_replicas" jsonb,
	"low_balance_minor" bigint DEFAULT 1000 NOT NULL
);
--> statement-breakpoint
CREATE TABLE "billing_cursor" (
	"id" text PRIMARY KEY NOT NULL,
	"value" bigint NOT NULL
);
--> statement-breakpoint
CREATE TABLE "billing_event" (
	"id" serial PRIMARY KEY NOT NULL,
	"tenant_id" text,
	"at" bigint NOT NULL,
	"type" text NOT NULL,
	"reason" text NOT NULL,
	"message" text NOT NULL
);
--> statement-breakpoint
CREATE TABLE "billing_invoice" (
	"id" text PRIMARY KEY NOT NULL,
	"tenant_id" text NOT NULL,
	"period_start" bigint NOT NULL,
	"period_end" bigint NOT NULL,
	"currency" text NOT NULL,
	"total_minor" bigint NOT NULL,
	"closed_at" bigint NOT NULL
);
--> statement-breakpoint
CREATE TABLE "billing_invoice_line" (
	"id" serial PRIMARY KEY NOT NULL,
	"invoice_id" text NOT NULL,
	"resource" text NOT NULL,
	"deployment_id" text,
	"deployment_name" text,
	"quantity" text NOT NULL,
	"unit_price_micros" bigint NOT NULL,
	"amount_minor" bigint NOT NULL
);
--> statement-breakpoint
CREATE TABLE "billing_ledger" (
	"id" text PRIMARY KEY NOT NULL,
	"tenant_id" text NOT NULL,
	"at" bigint NOT NULL,
	"kind" text NOT NULL,
	"amount_minor" bigint NOT NULL,
	"note" text DEFAULT '' NOT NULL,
	"actor" text
);
--> statement-breakpoint
CREATE TABLE "billing_meter" (
	"id" text PRIMARY KEY NOT NULL,
	"resource_id" text NOT NULL,
	"tenant_id" text NOT NULL,
	"kind" text NOT NULL,
	"name" text NOT NULL,
	"start_at" bigint NOT NULL,
	"billed_from" bigint NOT NULL,
	"end_at" bigint,
	"cpu_millis" integer NOT NULL,
	"memory_bytes" bigint NOT NULL,
	"machine_type" text,
	"deployment_id" text,
	"deployment_name" text
);
--> statement-breakpoint
CREATE TABLE "billing_price_plan" (
	"id" serial PRIMARY KEY NOT NULL,
	"tenant_id" text,
	"effective_from" bigint NOT NULL,
	"currency" text NOT NULL,
	"cpu_hour_micros" bigint NOT NULL,
	"memory_gib_hour_micros" bigint NOT NULL,
	"node_2c4g_hour_micros" bigint NOT NULL,
	"node_4c8g_hour_micros" bigint NOT NULL,
	"node_8c16g_hour_micros" bigint NOT NULL,
	"created_at" bigint NOT NULL,
	"created_by" text
);
--> statement-breakpoint
CREATE TABLE "billing_usage" (
	"id" text PRIMARY KEY NOT NULL,
	"meter_id" text NOT NULL,
	"tenant_id" text NOT NULL,
	"kind" text NOT NULL,
	"period" bigint NOT NULL,
	"start_at" bigint NOT NULL,
	"end_at" bigint NOT NULL,
	"cpu_millis" integer NOT NULL,
	"memory_bytes" bigint NOT NULL,
	"machine_type" text,
	"deployment_id" text,
	"deployment_name" text
);
--> statement-breakpoint
ALTER TABLE "billing_account" ADD CONSTRAINT "billing_account_tenant_id_organization_id_fk" FOREIGN KEY ("tenant_id") REFERENCES "public"."organization"("id") ON DELETE cascade ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "billing_event" ADD CONSTRAINT "billing_event_tenant_id_organization_id_fk" FOREIGN KEY ("tenant_id") REFERENCES "public"."organization"("id") ON DELETE cascade ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "billing_invoice" ADD CONSTRAINT "billing_invoice_tenant_id_organization_id_fk" FOREIGN KEY ("tenant_id") REFERENCES "public"."organization"("id") ON DELETE cascade ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "billing_invoice_line" ADD CONSTRAINT "billing_invoice_line_invoice_id_billing_invoice_id_fk" FOREIGN KEY ("invoice_id") REFERENCES "public"."billing_invoice"("id") ON DELETE cascade ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "billing_ledger" ADD CONSTRAINT "billing_ledger_tenant_id_organization_id_fk" FOREIGN KEY ("tenant_id") REFERENCES "public"."organization"("id") ON DELETE cascade ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "billing_price_plan" ADD CONSTRAINT "billing_price_plan_tenant_id_organization_id_fk" FOREIGN KEY ("tenant_id") REFERENCES "public"."organization"("id") ON DELETE cascade ON UPDATE no action;--> statement-breakpoint
CREATE INDEX "billing_event_tenant_idx" ON "billing_event" USING btree ("tenant_id","at");--> statement-breakpoint
CREATE UNIQUE INDEX "billing_invoice_tenant_period_uq" ON "billing_invoice" USING btree ("tenant_id","period_start");--> statement-breakpoint
CREATE INDEX "billing_invoice_period_idx" ON "billing_invoice" USING btree ("period_start");--> statement-breakpoint
CREATE INDEX "billing_invoice_line_invoice_idx" ON "billing_invoice_line" USING btree ("invoice_id");--> statement-breakpoint
CREATE INDEX "billing_ledger_tenant_idx" ON "billing_ledger" USING btree ("tenant_id","at");--> statement-breakpoint
CREATE INDEX "billing_meter_open_resource_idx" ON "billing_meter" USING btree ("resource_id") WHERE "billing_meter"."end_at" is null;--> statement-breakpoint
CREATE INDEX "billing_meter_tenant_idx" ON "billing_meter" USING btree ("tenant_id","end_at");--> statement-breakpoint
CREATE INDEX "billing_price_plan_tenant_idx" ON "billing_price_plan" USING btree ("tenant_id","effective_from");--> statement-breakpoint
CREATE INDEX "billing_usage_period_tenant_idx" ON "billing_usage" USING btree ("period","tenant_id");--> statement-breakpoint
CREATE INDEX "billing_usage_tenant_idx" ON "billing_usage" USING btree ("tenant_id","period");