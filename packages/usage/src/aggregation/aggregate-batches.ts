import type { Database } from "@meterplane/db";

export interface BatchRef {
  batchId: string;
  receivedAt: Date | string;
}

const rollupUpdate = (table: string) => `
  ON CONFLICT ("tenantId", "environmentId", "meter", "dimensionKey", "bucketStart") DO UPDATE SET
    "sum" = "${table}"."sum" + EXCLUDED."sum",
    "count" = "${table}"."count" + EXCLUDED."count",
    "min" = LEAST("${table}"."min", EXCLUDED."min"),
    "max" = GREATEST("${table}"."max", EXCLUDED."max"),
    "last" = CASE WHEN EXCLUDED."lastAt" >= "${table}"."lastAt" THEN EXCLUDED."last" ELSE "${table}"."last" END,
    "lastAt" = GREATEST("${table}"."lastAt", EXCLUDED."lastAt"),
    "integral" = "${table}"."integral" + EXCLUDED."integral",
    "seconds" = "${table}"."seconds" + EXCLUDED."seconds",
    "updatedAt" = now()
  RETURNING 1`;

/**
 * One statement: claim the batches not yet aggregated, fold their samples into hourly and daily rollups,
 * and mark them aggregated. Being one statement it commits or fails whole, so a sample is counted exactly
 * once however often a batch is retried or by however many workers at once (the claim's row lock makes a
 * second claimant skip what the first took). Rows are upserted in key order to keep workers from deadlocking.
 */
const aggregateSql = `
WITH claimed AS (
  UPDATE "SampleBatch" b SET "aggregatedAt" = now()
   FROM unnest($1::bigint[], $2::timestamptz[]) AS r(id, "receivedAt")
   WHERE b.id = r.id AND b."receivedAt" = r."receivedAt" AND b."aggregatedAt" IS NULL
  RETURNING b.samples
), samples AS (
  SELECT (s->>'tenantId')::uuid AS "tenantId", (s->>'environmentId')::uuid AS "environmentId", s->>'meter' AS meter,
         s->>'dimensionKey' AS "dimensionKey", coalesce(s->'dimensions', '{}'::jsonb) AS dimensions,
         (s->>'start')::timestamptz AS start, (s->>'seconds')::numeric AS seconds, (s->>'value')::numeric AS value
    FROM claimed, jsonb_array_elements(claimed.samples) AS s
), hourly AS (
  SELECT "tenantId", "environmentId", meter, "dimensionKey", date_trunc('hour', start, 'UTC') AS "bucketStart",
         (array_agg(dimensions))[1] AS dimensions, sum(value) AS sum, count(*) AS count, min(value) AS min, max(value) AS max,
         (array_agg(value ORDER BY start DESC))[1] AS last, max(start) AS "lastAt",
         sum(value * seconds) AS integral, sum(seconds) AS seconds
    FROM samples GROUP BY 1, 2, 3, 4, 5
), daily AS (
  SELECT "tenantId", "environmentId", meter, "dimensionKey", date_trunc('day', "bucketStart", 'UTC') AS "bucketStart",
         (array_agg(dimensions))[1] AS dimensions, sum(sum) AS sum, sum(count) AS count, min(min) AS min, max(max) AS max,
         (array_agg(last ORDER BY "lastAt" DESC))[1] AS last, max("lastAt") AS "lastAt",
         sum(integral) AS integral, sum(seconds) AS seconds
    FROM hourly GROUP BY 1, 2, 3, 4, 5
), hourly_upserted AS (
  INSERT INTO "UsageHourly" ("tenantId", "environmentId", meter, "dimensionKey", "bucketStart", dimensions, sum, count, min, max, last, "lastAt", integral, seconds)
  SELECT * FROM hourly ORDER BY 1, 2, 3, 4, 5
  ${rollupUpdate("UsageHourly")}
), daily_upserted AS (
  INSERT INTO "UsageDaily" ("tenantId", "environmentId", meter, "dimensionKey", "bucketStart", dimensions, sum, count, min, max, last, "lastAt", integral, seconds)
  SELECT * FROM daily ORDER BY 1, 2, 3, 4, 5
  ${rollupUpdate("UsageDaily")}
)
SELECT (SELECT count(*) FROM claimed) AS batches, (SELECT count(*) FROM samples) AS samples,
       (SELECT count(*) FROM hourly_upserted) AS hourly, (SELECT count(*) FROM daily_upserted) AS daily`;

const retryableCodes = new Set(["40P01", "40001"]);

/** Aggregates the given batches (those already aggregated are skipped); returns how many it took. */
export async function aggregateBatches({
  db,
  batches,
}: {
  db: Database;
  batches: BatchRef[];
}): Promise<{ batches: number; samples: number }> {
  if (!batches.length) return { batches: 0, samples: 0 };
  const ids = batches.map((b) => b.batchId);
  const receivedAts = batches.map((b) => new Date(b.receivedAt).toISOString());
  for (let attempt = 1; ; attempt++) {
    try {
      const { rows } = await db.pool.query<{ batches: string; samples: string }>(aggregateSql, [
        ids,
        receivedAts,
      ]);
      return { batches: Number(rows[0]?.batches ?? 0), samples: Number(rows[0]?.samples ?? 0) };
    } catch (error) {
      // A deadlock with another worker rolls the whole statement back, so retrying is safe.
      if (attempt >= 5 || !retryableCodes.has((error as { code?: string }).code ?? "")) throw error;
    }
  }
}
