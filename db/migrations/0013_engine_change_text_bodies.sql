-- Log bodies become JSON text: nothing queries inside one, and parsing each body into jsonb was most of an object
-- write's cost on embedded PGlite (db/engine-change-log.ts). Existing bodies keep their content (jsonb's text form).
ALTER TABLE "engine_change" ALTER COLUMN "object" SET DATA TYPE text USING "object"::text;
