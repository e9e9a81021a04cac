-- Raw batches are kept as the collector's gzip-compressed JSON instead of jsonb: turning 600 samples into
-- jsonb was most of Postgres's CPU per acknowledged batch, and the compressed body is ~25 times smaller.
-- Batches stored before this migration keep their samples, as uncompressed JSON in the same wire shape
-- (readStoredBatch tells the two apart by gzip's magic bytes; a JSON text cannot start with 0x1f).
ALTER TABLE "SampleBatch" ADD COLUMN "tenantIds" UUID[], ADD COLUMN "body" BYTEA;

UPDATE "SampleBatch" SET
  "tenantIds" = ARRAY(SELECT DISTINCT (s->>'tenantId')::uuid FROM jsonb_array_elements("samples") s),
  "body" = convert_to(jsonb_build_object('sequence', "sequence", 'collectorVersion', '0.0.0', 'samples', "samples")::text, 'UTF8');

ALTER TABLE "SampleBatch" ALTER COLUMN "body" SET NOT NULL, DROP COLUMN "samples";
