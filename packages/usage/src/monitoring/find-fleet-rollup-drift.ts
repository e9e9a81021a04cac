import { type Database, dailyRollups, sealedBeforeSql } from "@meterplane/db";

export interface FleetRollupDrift {
  table: "UsageFleetHourly" | "UsageFleetDaily" | "UsageEnvironmentHourly" | "UsageEnvironmentMonthly";
  /** The row's key, `|`-joined: meter, dimension key and bucket start, or tenant, environment, meter and hour or month. */
  key: string;
  expected: { sum: string; integral: string } | null;
  actual: { sum: string; integral: string } | null;
}

const measures = (alias: string) =>
  `CASE WHEN ${alias}.sum IS NULL THEN NULL
        ELSE jsonb_build_object('sum', ${alias}.sum::text, 'integral', ${alias}.integral::text) END`;

const fleetCheck = (table: string, series: string) => `
  SELECT '${table}' AS "table", concat_ws('|', meter, "dimensionKey", ${iso('"bucketStart"')}) AS key,
         ${measures("ref")} AS expected, ${measures("stored")} AS actual
    FROM (SELECT meter, "dimensionKey", "bucketStart", sum(sum) AS sum, sum(integral) AS integral
            FROM ${series} GROUP BY 1, 2, 3) ref
    FULL JOIN "${table}" stored USING (meter, "dimensionKey", "bucketStart")
   WHERE ref.sum IS DISTINCT FROM stored.sum OR ref.integral IS DISTINCT FROM stored.integral`;

function iso(column: string) {
  return `to_char(${column} AT TIME ZONE 'UTC', 'YYYY-MM-DD"T"HH24:MI:SS.MS"Z"')`;
}

/**
 * Every fleet rollup, environment hour and environment month that is not exactly Σ of the series rollups it stands for
 * (missing, extra or different): the fleet rows are kept by aggregation from the same fold as the series'
 * rows, and charts over every tenant subtract series from them, so they must agree to the last decimal. A
 * fleet day stands for its series' days as read (`dailyRollups`, open hours included); an environment's
 * hour and month, like `UsageDaily` itself, for sealed hours only.
 * With `findRollupDrift` (series against raw batches) it checks the whole chain down to the samples.
 */
export async function findFleetRollupDrift({ db }: { db: Database }): Promise<FleetRollupDrift[]> {
  const { rows } = await db.pool.query<FleetRollupDrift>(
    `${fleetCheck("UsageFleetHourly", `"UsageHourly"`)}
     UNION ALL ${fleetCheck("UsageFleetDaily", `${dailyRollups()} AS days`)}
     UNION ALL
     SELECT 'UsageEnvironmentHourly', concat_ws('|', "tenantId", "environmentId", meter, ${iso('"bucketStart"')}),
            ${measures("ref")}, ${measures("stored")}
       FROM (SELECT "tenantId", "environmentId", meter, "bucketStart", sum(sum) AS sum, sum(integral) AS integral
               FROM "UsageHourly" WHERE "bucketStart" < ${sealedBeforeSql} GROUP BY 1, 2, 3, 4) ref
       FULL JOIN "UsageEnvironmentHourly" stored USING ("tenantId", "environmentId", meter, "bucketStart")
      WHERE ref.sum IS DISTINCT FROM stored.sum OR ref.integral IS DISTINCT FROM stored.integral
     UNION ALL
     SELECT 'UsageEnvironmentMonthly', concat_ws('|', "tenantId", "environmentId", meter, ${iso('"monthStart"')}),
            ${measures("ref")}, ${measures("stored")}
       FROM (SELECT "tenantId", "environmentId", meter, date_trunc('month', "bucketStart", 'UTC') AS "monthStart",
                    sum(sum) AS sum, sum(integral) AS integral
               FROM "UsageDaily" GROUP BY 1, 2, 3, 4) ref
       FULL JOIN "UsageEnvironmentMonthly" stored USING ("tenantId", "environmentId", meter, "monthStart")
      WHERE ref.sum IS DISTINCT FROM stored.sum OR ref.integral IS DISTINCT FROM stored.integral
      ORDER BY 1, 2`,
  );
  return rows;
}
