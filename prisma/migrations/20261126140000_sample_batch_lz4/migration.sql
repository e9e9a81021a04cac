-- Not expressible in the Prisma schema (like the partitioning in the init migration): compress raw batches
-- with lz4 instead of the default pglz. pglz is most of Postgres's cost of storing a batch (about twice lz4's
-- CPU per insert for a 600-sample batch) and of reading it back for aggregation and exports.
-- New partitions inherit the parent's setting; existing ones are set here. A server built without lz4 (the
-- embedded Postgres that `npm start` falls back to is one) keeps pglz: slower, equally correct.
DO $$
DECLARE partition regclass;
BEGIN
  ALTER TABLE "SampleBatch" ALTER COLUMN "samples" SET COMPRESSION lz4;
  FOR partition IN SELECT inhrelid::regclass FROM pg_inherits WHERE inhparent = '"SampleBatch"'::regclass LOOP
    EXECUTE format('ALTER TABLE %s ALTER COLUMN "samples" SET COMPRESSION lz4', partition);
  END LOOP;
EXCEPTION WHEN feature_not_supported THEN
  RAISE NOTICE 'lz4 is not available on this server: raw batches stay compressed with pglz';
END $$;
