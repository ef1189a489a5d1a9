-- Custom SQL migration file, put your code below! --
-- Namespaces arrive. Every tenant gets its first namespace, named by its slug (slugs are unique DNS-1123 labels, so
-- the name is globally unique as a namespace's must be), and everything namespaced that it already runs
-- (deployments, replica sets, pods, and its events) moves into it. Only the stored objects change: the engine loads
-- them at start as they are and reconciles, so nothing is restarted. Re-running finds nothing left to do.
INSERT INTO "engine_object" ("kind", "id", "tenant_id", "version", "data")
SELECT 'Namespace', 'ns-' || substr(md5(t."id"), 1, 12), t."id", r."rev",
  jsonb_build_object(
    'kind', 'Namespace',
    'id', 'ns-' || substr(md5(t."id"), 1, 12),
    'tenantId', t."id",
    'name', t."slug",
    'labels', jsonb_build_object('kubernetes.io/metadata.name', t."slug"),
    'annotations', '{}'::jsonb,
    'tenantDefault', true,
    'status', jsonb_build_object('phase', 'Active'),
    'generation', 1,
    'createdAt', floor(extract(epoch from t."created_at") * 1000)::bigint,
    'resourceVersion', r."rev"
  )
FROM "organization" t, (SELECT coalesce(max("version"), 0) + 1 AS "rev" FROM "engine_object") r
WHERE NOT EXISTS (
  SELECT 1 FROM "engine_object" n WHERE n."kind" = 'Namespace' AND n."data"->>'name' = t."slug"
);--> statement-breakpoint
UPDATE "engine_object" o SET "data" = o."data" || jsonb_build_object('namespace', t."slug")
FROM "organization" t
WHERE t."id" = o."tenant_id" AND o."kind" IN ('Deployment', 'ReplicaSet', 'Pod') AND NOT (o."data" ? 'namespace');--> statement-breakpoint
-- Events keep their namespace in a column when the event table has one (engine_event.namespace); without it the
-- engine places an event that names none in its tenant's first namespace, and old events expire within the hour.
DO $$
BEGIN
  IF EXISTS (
    SELECT 1 FROM information_schema.columns WHERE table_name = 'engine_event' AND column_name = 'namespace'
  ) THEN
    EXECUTE 'UPDATE "engine_event" e SET "namespace" = t."slug" FROM "organization" t '
      'WHERE t."id" = e."tenant_id" AND e."namespace" IS NULL';
  END IF;
END $$;
