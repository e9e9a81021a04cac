-- Fleet rollups: the series' rollups summed over every tenant and environment per (meter, dimensions, hour)
-- and per day, kept by aggregation in the same transaction as the series' rows, so charts over every tenant
-- read a few rows per bucket instead of one per series.
CREATE TABLE "UsageFleetHourly" (
    "meter" TEXT NOT NULL,
    "dimensionKey" TEXT NOT NULL DEFAULT '',
    "bucketStart" TIMESTAMPTZ(3) NOT NULL,
    "dimensions" JSONB NOT NULL DEFAULT '{}',
    "sum" DECIMAL(38,12) NOT NULL,
    "integral" DECIMAL(38,12) NOT NULL,
    "updatedAt" TIMESTAMPTZ(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,

    CONSTRAINT "UsageFleetHourly_pkey" PRIMARY KEY ("meter","dimensionKey","bucketStart")
);

CREATE TABLE "UsageFleetDaily" (
    "meter" TEXT NOT NULL,
    "dimensionKey" TEXT NOT NULL DEFAULT '',
    "bucketStart" TIMESTAMPTZ(3) NOT NULL,
    "dimensions" JSONB NOT NULL DEFAULT '{}',
    "sum" DECIMAL(38,12) NOT NULL,
    "integral" DECIMAL(38,12) NOT NULL,
    "updatedAt" TIMESTAMPTZ(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,

    CONSTRAINT "UsageFleetDaily_pkey" PRIMARY KEY ("meter","dimensionKey","bucketStart")
);

-- Each environment's total per meter and UTC month: what charts over every tenant rank tenants and
-- environments by, without reading every series.
CREATE TABLE "UsageEnvironmentMonthly" (
    "tenantId" UUID NOT NULL,
    "environmentId" UUID NOT NULL,
    "meter" TEXT NOT NULL,
    "monthStart" TIMESTAMPTZ(3) NOT NULL,
    "sum" DECIMAL(38,12) NOT NULL,
    "integral" DECIMAL(38,12) NOT NULL,
    "updatedAt" TIMESTAMPTZ(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,

    CONSTRAINT "UsageEnvironmentMonthly_pkey" PRIMARY KEY ("tenantId","environmentId","meter","monthStart")
);

CREATE INDEX "UsageFleetHourly_bucketStart_idx" ON "UsageFleetHourly"("bucketStart");
CREATE INDEX "UsageFleetDaily_bucketStart_idx" ON "UsageFleetDaily"("bucketStart");
CREATE INDEX "UsageEnvironmentMonthly_monthStart_idx" ON "UsageEnvironmentMonthly"("monthStart");

ALTER TABLE "UsageEnvironmentMonthly" ADD CONSTRAINT "UsageEnvironmentMonthly_tenantId_environmentId_fkey" FOREIGN KEY ("tenantId", "environmentId") REFERENCES "Environment"("tenantId", "id") ON DELETE RESTRICT ON UPDATE CASCADE;

-- Rollups stored before these tables existed, summed once.
INSERT INTO "UsageFleetHourly" (meter, "dimensionKey", "bucketStart", dimensions, sum, integral)
SELECT meter, "dimensionKey", "bucketStart", (array_agg(dimensions))[1], sum(sum), sum(integral)
  FROM "UsageHourly" GROUP BY 1, 2, 3;
INSERT INTO "UsageFleetDaily" (meter, "dimensionKey", "bucketStart", dimensions, sum, integral)
SELECT meter, "dimensionKey", "bucketStart", (array_agg(dimensions))[1], sum(sum), sum(integral)
  FROM "UsageDaily" GROUP BY 1, 2, 3;
INSERT INTO "UsageEnvironmentMonthly" ("tenantId", "environmentId", meter, "monthStart", sum, integral)
SELECT "tenantId", "environmentId", meter, date_trunc('month', "bucketStart", 'UTC'), sum(sum), sum(integral)
  FROM "UsageDaily" GROUP BY 1, 2, 3, 4;
