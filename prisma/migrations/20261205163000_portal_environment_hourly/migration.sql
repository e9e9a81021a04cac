-- Each environment's hourly rollups summed per meter (over its dimensions): what charts over every tenant read
-- of their top tenants and environments. The second index holds the measures, so those reads are index-only
-- scans of one contiguous run per environment and meter, not one heap page per series-hour.
CREATE TABLE "UsageEnvironmentHourly" (
    "tenantId" UUID NOT NULL,
    "environmentId" UUID NOT NULL,
    "meter" TEXT NOT NULL,
    "bucketStart" TIMESTAMPTZ(3) NOT NULL,
    "sum" DECIMAL(38,12) NOT NULL,
    "integral" DECIMAL(38,12) NOT NULL,

    CONSTRAINT "UsageEnvironmentHourly_pkey" PRIMARY KEY ("tenantId","environmentId","meter","bucketStart")
);

CREATE INDEX "UsageEnvironmentHourly_tenantId_environmentId_meter_bucketS_idx" ON "UsageEnvironmentHourly"("tenantId", "environmentId", "meter", "bucketStart", "sum", "integral");

ALTER TABLE "UsageEnvironmentHourly" ADD CONSTRAINT "UsageEnvironmentHourly_tenantId_environmentId_fkey" FOREIGN KEY ("tenantId", "environmentId") REFERENCES "Environment"("tenantId", "id") ON DELETE RESTRICT ON UPDATE CASCADE;

INSERT INTO "UsageEnvironmentHourly" ("tenantId", "environmentId", meter, "bucketStart", sum, integral)
SELECT "tenantId", "environmentId", meter, "bucketStart", sum(sum), sum(integral)
  FROM "UsageHourly" GROUP BY 1, 2, 3, 4;
