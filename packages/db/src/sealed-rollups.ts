/**
 * Readers of the rollups that are folded from sealed hours only (days, environment hours): each adds the open
 * hours from `UsageHourly`, so what they return is whole at any instant.
 */

/** The columns of a series rollup, hourly or daily, in the tables' order. */
const rollupColumns = `"tenantId", "environmentId", meter, "dimensionKey", "bucketStart", dimensions, sum, count, min, max, last, "lastAt", integral, seconds`;

/** The first open hour: every hourly rollup before it is folded into the sealed rollups (see `UsageSeal`). */
export const sealedBeforeSql = `(SELECT "sealedBefore" FROM "UsageSeal")`;

/**
 * Series-days as a subquery (`FROM ${dailyRollups(where)} AS d`): exactly one row per series and UTC day,
 * with the columns of `UsageDaily`. `UsageDaily` holds sealed hours only; the open ones (the current hour,
 * and the last one for a grace period after it ends) are still in `UsageHourly`, so they are added here,
 * folded as the rollup upsert folds them (sums add, `last` is the value of the latest `lastAt`; no two rows
 * of a series-day share one, since they cover different hours). Only the day holding the first open hour
 * can have both, so the days before it are read as stored and only that day's rows are grouped.
 *
 * `where` is applied inside every branch, so the tenant's or series' index is used on both tables (a join
 * or an outer filter would not reach into the grouped branch): a boolean over a rollup's columns,
 * `"bucketStart"` being the day, that may reference outer columns when the subquery is LATERAL. Whatever
 * it filters is read in one statement, one snapshot: a seal is seen whole or not at all.
 */
export function dailyRollups(where = "true"): string {
  const firstOpenDay = `(SELECT date_trunc('day', "sealedBefore", 'UTC') FROM "UsageSeal")`;
  return `(
  SELECT ${rollupColumns} FROM "UsageDaily" WHERE "bucketStart" < ${firstOpenDay} AND (${where})
  UNION ALL
  SELECT "tenantId", "environmentId", meter, "dimensionKey", "bucketStart", dimensions, sum(sum), sum(count),
         min(min), max(max), (array_agg(last ORDER BY "lastAt" DESC))[1], max("lastAt"), sum(integral),
         sum(seconds)
    FROM (SELECT ${rollupColumns} FROM "UsageDaily" WHERE "bucketStart" >= ${firstOpenDay} AND (${where})
          UNION ALL
          SELECT ${rollupColumns}
            FROM (SELECT "tenantId", "environmentId", meter, "dimensionKey",
                         date_trunc('day', "bucketStart", 'UTC') AS "bucketStart", dimensions, sum, count, min, max,
                         last, "lastAt", integral, seconds
                    FROM "UsageHourly"
                   WHERE "bucketStart" >= ${sealedBeforeSql} AND "bucketStart" < 'infinity') AS "openHours"
           WHERE ${where}) AS "openDay"
   GROUP BY "tenantId", "environmentId", meter, "dimensionKey", "bucketStart", dimensions)`;
}

/**
 * Environment-hours as a subquery (`FROM ${environmentHours(where)} AS e`): one row per environment, meter
 * and hour (`"tenantId", "environmentId", meter, "bucketStart", sum, integral`). `UsageEnvironmentHourly`
 * holds sealed hours only, written once when the hour is sealed: kept up to date by every group, each of its
 * rows was rewritten every fold window, and as its covering index holds `sum` and `integral` none of those
 * updates could be HOT (2.1 s of a 2,000-host group's Postgres time, against 2.3 s for the series rows).
 * The open hours are summed from their series rows here. `where` is applied inside both branches, as in
 * `dailyRollups`.
 */
export function environmentHours(where = "true"): string {
  return `(
  SELECT "tenantId", "environmentId", meter, "bucketStart", sum, integral FROM "UsageEnvironmentHourly"
   WHERE "bucketStart" < ${sealedBeforeSql} AND (${where})
  UNION ALL
  SELECT "tenantId", "environmentId", meter, "bucketStart", sum(sum), sum(integral) FROM "UsageHourly"
   WHERE "bucketStart" >= ${sealedBeforeSql} AND "bucketStart" < 'infinity' AND (${where})
   GROUP BY 1, 2, 3, 4)`;
}
