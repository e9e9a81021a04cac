-- Reads across every tenant (the operator's usage pages, the dashboard's trends) select rollups by time alone:
-- without these they scanned every rollup ever stored.
CREATE INDEX "UsageHourly_bucketStart_idx" ON "UsageHourly"("bucketStart");

CREATE INDEX "UsageDaily_bucketStart_idx" ON "UsageDaily"("bucketStart");
