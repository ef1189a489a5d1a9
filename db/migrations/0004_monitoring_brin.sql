DROP INDEX "metric_sample_at_idx";--> statement-breakpoint
CREATE INDEX "metric_sample_at_brin" ON "metric_sample" USING brin ("at");