-- The start of the latest sample aggregated for each environment, kept by aggregation, so "not reporting"
-- is one rule read from one column in lists, pages and the dashboard.
ALTER TABLE "Environment" ADD COLUMN "lastSampleAt" TIMESTAMPTZ(3);

-- Environments that reported before the column existed: their latest hourly rollup of the last two days.
UPDATE "Environment" e SET "lastSampleAt" = u.at
  FROM (SELECT "environmentId", max("lastAt") AS at FROM "UsageHourly"
         WHERE "bucketStart" >= now() - interval '2 days' GROUP BY "environmentId") u
 WHERE u."environmentId" = e.id;
