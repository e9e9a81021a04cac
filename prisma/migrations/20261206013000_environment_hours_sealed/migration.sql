-- Environment hours are written once, when their hour is sealed (aggregation/seal-hours.ts); readers add the open
-- hours from UsageHourly (environmentHours in packages/db). Rows of hours still open were written by aggregation
-- groups before this change: removed, so that the seal's sum of each hour's series rows is the whole of it.
DELETE FROM "UsageEnvironmentHourly" WHERE "bucketStart" >= (SELECT "sealedBefore" FROM "UsageSeal");
