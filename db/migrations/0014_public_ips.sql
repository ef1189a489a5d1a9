-- Public IPs are metered (address, bandwidth bought) and priced per IP-hour and per Mbit/s-hour; plan versions saved
-- before them get the built-in prices (server/billing/rating.ts BUILT_IN_PRICES).
ALTER TABLE "billing_meter" ADD COLUMN "address" text;--> statement-breakpoint
ALTER TABLE "billing_meter" ADD COLUMN "bandwidth_mbps" integer DEFAULT 0 NOT NULL;--> statement-breakpoint
ALTER TABLE "billing_price_plan" ADD COLUMN "public_ip_hour_micros" bigint DEFAULT 5000 NOT NULL;--> statement-breakpoint
ALTER TABLE "billing_price_plan" ADD COLUMN "bandwidth_mbps_hour_micros" bigint DEFAULT 10000 NOT NULL;--> statement-breakpoint
ALTER TABLE "billing_usage" ADD COLUMN "address" text;--> statement-breakpoint
ALTER TABLE "billing_usage" ADD COLUMN "bandwidth_mbps" integer DEFAULT 0 NOT NULL;