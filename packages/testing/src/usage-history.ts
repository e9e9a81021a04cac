import { type Database, dailyRollups, sealedBeforeSql } from "@meterplane/db";

/**
 * Hourly rollups of one series, one value every hour of [from, from + hours), and the daily rollups the
 * worker would fold from them (from the sealed hours, as the seal does): usage history without ingesting
 * batches. Each hour reads `value` (a
 * counter's increment, or a gauge's level held the whole hour), or with `swing` a daily wave around it
 * (value × (1 + swing × sin(2π · hour of day ÷ 24))).
 */
export async function aUsageHistory(
  db: Database,
  options: {
    tenantId: string;
    environmentId: string;
    meter: string;
    from: Date;
    hours: number;
    value: number | string;
    dimensions?: Record<string, string>;
    swing?: number;
  },
) {
  const dimensions = options.dimensions ?? {};
  const dimensionKey = Object.keys(dimensions)
    .sort()
    .map((key) => `${key}=${dimensions[key]}`)
    .join(",");
  const series = [options.tenantId, options.environmentId, options.meter, dimensionKey, dimensions];
  await db.pool.query(
    `INSERT INTO "UsageHourly" ("tenantId", "environmentId", meter, "dimensionKey", dimensions, "bucketStart",
                                sum, count, min, max, last, "lastAt", integral, seconds)
     SELECT $1, $2, $3, $4, $5, b, v, 1, v, v, v, b + interval '59 minutes', v * 3600, 3600
       FROM generate_series($6::timestamptz, $6::timestamptz + ($7 - 1) * interval '1 hour', interval '1 hour') b,
            LATERAL (SELECT round($8::numeric * (1 + $9 * sin(2 * pi() * extract(hour FROM b AT TIME ZONE 'UTC') / 24))::numeric, 6) AS v) w`,
    [...series, options.from, options.hours, String(options.value), options.swing ?? 0],
  );
  await db.pool.query(
    `INSERT INTO "UsageDaily" ("tenantId", "environmentId", meter, "dimensionKey", dimensions, "bucketStart",
                               sum, count, min, max, last, "lastAt", integral, seconds)
     SELECT "tenantId", "environmentId", meter, "dimensionKey", $5, date_trunc('day', "bucketStart", 'UTC'),
            sum(sum), sum(count), min(min), max(max), max(last), max("lastAt"), sum(integral), sum(seconds)
       FROM "UsageHourly"
      WHERE "tenantId" = $1 AND "environmentId" = $2 AND meter = $3 AND "dimensionKey" = $4
        AND "bucketStart" < ${sealedBeforeSql}
      GROUP BY 1, 2, 3, 4, 6
     ON CONFLICT ("tenantId", "environmentId", meter, "dimensionKey", "bucketStart") DO UPDATE
        SET sum = excluded.sum, count = excluded.count, min = excluded.min, max = excluded.max,
            last = excluded.last, "lastAt" = excluded."lastAt", integral = excluded.integral, seconds = excluded.seconds`,
    series,
  );
  // The fleet rollups and environment hours and months aggregation keeps beside the series' rows, recomputed
  // for the meter and dimensions written, so reads over every tenant see the history too.
  for (const [fleet, rollups] of [
    ["UsageFleetHourly", `"UsageHourly"`],
    ["UsageFleetDaily", `${dailyRollups()} AS days`],
  ])
    await db.pool.query(
      `INSERT INTO "${fleet}" (meter, "dimensionKey", "bucketStart", dimensions, sum, integral)
       SELECT meter, "dimensionKey", "bucketStart", $3, sum(sum), sum(integral) FROM ${rollups}
        WHERE meter = $1 AND "dimensionKey" = $2 GROUP BY 1, 2, 3
       ON CONFLICT (meter, "dimensionKey", "bucketStart") DO UPDATE SET sum = excluded.sum, integral = excluded.integral`,
      [options.meter, dimensionKey, dimensions],
    );
  await db.pool.query(
    `INSERT INTO "UsageEnvironmentHourly" ("tenantId", "environmentId", meter, "bucketStart", sum, integral)
     SELECT "tenantId", "environmentId", meter, "bucketStart", sum(sum), sum(integral)
       FROM "UsageHourly" WHERE "tenantId" = $1 AND "environmentId" = $2 AND meter = $3
        AND "bucketStart" < ${sealedBeforeSql} GROUP BY 1, 2, 3, 4
     ON CONFLICT ("tenantId", "environmentId", meter, "bucketStart") DO UPDATE
        SET sum = excluded.sum, integral = excluded.integral`,
    series.slice(0, 3),
  );
  await db.pool.query(
    `INSERT INTO "UsageEnvironmentMonthly" ("tenantId", "environmentId", meter, "monthStart", sum, integral)
     SELECT "tenantId", "environmentId", meter, date_trunc('month', "bucketStart", 'UTC'), sum(sum), sum(integral)
       FROM "UsageDaily" WHERE "tenantId" = $1 AND "environmentId" = $2 AND meter = $3 GROUP BY 1, 2, 3, 4
     ON CONFLICT ("tenantId", "environmentId", meter, "monthStart") DO UPDATE
        SET sum = excluded.sum, integral = excluded.integral`,
    series.slice(0, 3),
  );
}
