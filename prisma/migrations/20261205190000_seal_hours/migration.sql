-- Daily rollups and environment months are folded from sealed hours (see aggregation/seal-hours.ts): hours
-- at or after "sealedBefore" are held by UsageHourly alone. Every hour already in UsageHourly has been folded
-- into UsageDaily and UsageEnvironmentMonthly by aggregation, so the first open hour is the one after the
-- latest stored, and at least the current one (a fresh database has it open).
CREATE TABLE "UsageSeal" (
    "id" INTEGER NOT NULL DEFAULT 1,
    "sealedBefore" TIMESTAMPTZ(3) NOT NULL,

    CONSTRAINT "UsageSeal_pkey" PRIMARY KEY ("id")
);

INSERT INTO "UsageSeal" ("sealedBefore")
SELECT greatest(date_trunc('hour', now(), 'UTC'), max("bucketStart") + interval '1 hour') FROM "UsageHourly";
