CREATE TABLE "alert_rule" (
	"id" text PRIMARY KEY NOT NULL,
	"tenant_id" text NOT NULL,
	"deployment_id" text NOT NULL,
	"deployment_name" text NOT NULL,
	"kind" text NOT NULL,
	"threshold" double precision NOT NULL,
	"for_seconds" integer NOT NULL,
	"pending_since" bigint,
	"firing" integer DEFAULT 0 NOT NULL,
	"created_at" bigint NOT NULL
);
--> statement-breakpoint
CREATE TABLE "metric_rollup" (
	"level" text NOT NULL,
	"key" text NOT NULL,
	"tenant_id" text,
	"resolution_ms" integer NOT NULL,
	"bucket" bigint NOT NULL,
	"points" integer NOT NULL,
	"cpu_millis_sum" double precision NOT NULL,
	"cpu_millis_max" double precision NOT NULL,
	"cpu_throttled_ms_sum" double precision NOT NULL,
	"cpu_throttled_ms_max" double precision NOT NULL,
	"memory_working_set_bytes_sum" double precision NOT NULL,
	"memory_working_set_bytes_max" double precision NOT NULL,
	"memory_rss_bytes_sum" double precision NOT NULL,
	"memory_rss_bytes_max" double precision NOT NULL,
	"memory_limit_bytes_sum" double precision NOT NULL,
	"memory_limit_bytes_max" double precision NOT NULL,
	"disk_read_bytes_sum" double precision NOT NULL,
	"disk_read_bytes_max" double precision NOT NULL,
	"disk_write_bytes_sum" double precision NOT NULL,
	"disk_write_bytes_max" double precision NOT NULL,
	"disk_read_ops_sum" double precision NOT NULL,
	"disk_read_ops_max" double precision NOT NULL,
	"disk_write_ops_sum" double precision NOT NULL,
	"disk_write_ops_max" double precision NOT NULL,
	"tcp_established_sum" double precision NOT NULL,
	"tcp_established_max" double precision NOT NULL,
	"tcp_listen_sum" double precision NOT NULL,
	"tcp_listen_max" double precision NOT NULL,
	"tcp_time_wait_sum" double precision NOT NULL,
	"tcp_time_wait_max" double precision NOT NULL,
	"net_rx_bytes_sum" double precision NOT NULL,
	"net_rx_bytes_max" double precision NOT NULL,
	"net_tx_bytes_sum" double precision NOT NULL,
	"net_tx_bytes_max" double precision NOT NULL,
	"net_rx_packets_sum" double precision NOT NULL,
	"net_rx_packets_max" double precision NOT NULL,
	"net_tx_packets_sum" double precision NOT NULL,
	"net_tx_packets_max" double precision NOT NULL,
	"net_rx_drops_sum" double precision NOT NULL,
	"net_rx_drops_max" double precision NOT NULL,
	"net_tx_drops_sum" double precision NOT NULL,
	"net_tx_drops_max" double precision NOT NULL,
	CONSTRAINT "metric_rollup_level_key_resolution_ms_bucket_pk" PRIMARY KEY("level","key","resolution_ms","bucket")
);
--> statement-breakpoint
CREATE TABLE "metric_sample" (
	"series_id" integer NOT NULL,
	"at" bigint NOT NULL,
	"cpu_millis" double precision NOT NULL,
	"cpu_throttled_ms" double precision NOT NULL,
	"memory_working_set_bytes" double precision NOT NULL,
	"memory_rss_bytes" double precision NOT NULL,
	"memory_limit_bytes" double precision NOT NULL,
	"disk_read_bytes" double precision NOT NULL,
	"disk_write_bytes" double precision NOT NULL,
	"disk_read_ops" double precision NOT NULL,
	"disk_write_ops" double precision NOT NULL,
	"tcp_established" double precision NOT NULL,
	"tcp_listen" double precision NOT NULL,
	"tcp_time_wait" double precision NOT NULL,
	"net_rx_bytes" double precision NOT NULL,
	"net_tx_bytes" double precision NOT NULL,
	"net_rx_packets" double precision NOT NULL,
	"net_tx_packets" double precision NOT NULL,
	"net_rx_drops" double precision NOT NULL,
	"net_tx_drops" double precision NOT NULL,
	CONSTRAINT "metric_sample_series_id_at_pk" PRIMARY KEY("series_id","at")
);
--> statement-breakpoint
CREATE TABLE "metric_series" (
	"id" serial PRIMARY KEY NOT NULL,
	"tenant_id" text NOT NULL,
	"pod_id" text NOT NULL,
	"pod_name" text NOT NULL,
	"container" text NOT NULL,
	"replica_set_id" text,
	"revision" integer,
	"deployment_id" text,
	"deployment_name" text,
	"node_id" text NOT NULL,
	"first_seen" bigint NOT NULL
);
--> statement-breakpoint
CREATE TABLE "monitoring_cursor" (
	"name" text PRIMARY KEY NOT NULL,
	"value" bigint NOT NULL
);
--> statement-breakpoint
CREATE INDEX "alert_rule_tenant_idx" ON "alert_rule" USING btree ("tenant_id");--> statement-breakpoint
CREATE INDEX "metric_rollup_tenant_idx" ON "metric_rollup" USING btree ("tenant_id","level","resolution_ms","bucket");--> statement-breakpoint
CREATE INDEX "metric_rollup_bucket_idx" ON "metric_rollup" USING btree ("resolution_ms","bucket");--> statement-breakpoint
CREATE INDEX "metric_sample_at_idx" ON "metric_sample" USING btree ("at");--> statement-breakpoint
CREATE UNIQUE INDEX "metric_series_pod_container_uq" ON "metric_series" USING btree ("pod_id","container");--> statement-breakpoint
CREATE INDEX "metric_series_tenant_idx" ON "metric_series" USING btree ("tenant_id");