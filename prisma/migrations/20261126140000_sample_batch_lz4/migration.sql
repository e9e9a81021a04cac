-- Not expressible in the Prisma schema (like the partitioning in the init migration): compress raw batches
-- with lz4 instead of the default pglz. pglz is most of Postgres's cost of storing a batch (about twice lz4's
-- CPU per insert for a 600-sample batch) and of reading it back for aggregation and exports.
-- New partitions inherit the parent's setting; existing ones are set here.
ALTER TABLE "SampleBatch" ALTER COLUMN "samples" SET COMPRESSION lz4;
DO $$
DECLARE partition regclass;
BEGIN
  FOR partition IN SELECT inhrelid::regclass FROM pg_inherits WHERE inhparent = '"SampleBatch"'::regclass LOOP
    EXECUTE format('ALTER TABLE %s ALTER COLUMN "samples" SET COMPRESSION lz4', partition);
  END LOOP;
END $$;
