import type { Database } from "@meterplane/db";
import type { Granularity } from "../queries/get-usage.ts";

export interface RollupDrift {
  granularity: Granularity;
  tenantId: string;
  environmentId: string;
  meter: string;
  dimensionKey: string;
  bucketStart: Date;
  expected: Record<string, string> | null;
  actual: Record<string, string> | null;
}

const tables = { hour: "UsageHourly", day: "UsageDaily" } as const;
const measures = ["sum", "count", "min", "max", "last", "integral", "seconds"] as const;

/**
 * Recomputes the rollups from the raw batches still held and lists every bucket where they differ from the
 * stored ones (missing, extra or different). Deliberately written apart from the aggregation statement, so
 * it is an independent reference: the fault tests and the benchmark end with it, and an operator can run it
 * to reconcile a period. Meaningful once every batch is aggregated and none has been dropped by retention.
 */
export async function findRollupDrift({
  db,
  granularity,
}: {
  db: Database;
  granularity: Granularity;
}): Promise<RollupDrift[]> {
  const table = tables[granularity];
  const json = (alias: string) =>
    `CASE WHEN ${alias}."tenantId" IS NULL THEN NULL ELSE jsonb_build_object(${measures
      .map((m) => `'${m}', ${alias}.${m}::numeric(38, 12)::text`)
      .join(", ")}) END`;
  const { rows } = await db.pool.query<RollupDrift>(
    `WITH raw AS (
       SELECT (s->>'tenantId')::uuid AS "tenantId", (s->>'environmentId')::uuid AS "environmentId",
              s->>'meter' AS meter, s->>'dimensionKey' AS "dimensionKey",
              (s->>'start')::timestamptz AS start, (s->>'seconds')::numeric AS secs, (s->>'value')::numeric AS value
         FROM "SampleBatch" b CROSS JOIN jsonb_array_elements(b.samples) s
     ), ref AS (
       SELECT "tenantId", "environmentId", meter, "dimensionKey", date_trunc($1, start, 'UTC') AS "bucketStart",
              sum(value) AS sum, count(*) AS count, min(value) AS min, max(value) AS max,
              (array_agg(value ORDER BY start DESC))[1] AS last,
              sum(value * secs) AS integral, sum(secs) AS seconds
         FROM raw GROUP BY 1, 2, 3, 4, 5
     ), stored AS (SELECT * FROM "${table}")
     SELECT $1 AS granularity,
            coalesce(ref."tenantId", stored."tenantId") AS "tenantId",
            coalesce(ref."environmentId", stored."environmentId") AS "environmentId",
            coalesce(ref.meter, stored.meter) AS meter,
            coalesce(ref."dimensionKey", stored."dimensionKey") AS "dimensionKey",
            coalesce(ref."bucketStart", stored."bucketStart") AS "bucketStart",
            ${json("ref")} AS expected, ${json("stored")} AS actual
       FROM ref FULL JOIN stored USING ("tenantId", "environmentId", meter, "dimensionKey", "bucketStart")
      WHERE ${json("ref")} IS DISTINCT FROM ${json("stored")}
      ORDER BY 2, 3, 4, 5, 6`,
    [granularity],
  );
  return rows;
}
