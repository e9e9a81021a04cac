import { Dec } from "@meterplane/core";
import { type Database, dailyRollups } from "@meterplane/db";
import { dimensionKey, readStoredBatch } from "@meterplane/wire";

/** The two stored rollup tables. */
type Granularity = "hour" | "day";

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

// Days as every reader reads them: the sealed hours' `UsageDaily` rows and the open hours folded.
const stored = { hour: `"UsageHourly"`, day: `${dailyRollups()} AS days` } as const;
const bucketMs = { hour: 3_600_000, day: 86_400_000 } as const;
const measures = ["sum", "count", "min", "max", "last", "integral", "seconds"] as const;

/** Stored batches decoded per query, so memory holds the buckets and one page of bodies. */
const batchPage = 200;

/**
 * Recomputes the rollups from the raw batches still held and lists every bucket where they differ from the
 * stored ones (missing, extra or different). Deliberately written apart from the aggregation, so it is an
 * independent reference: the fault tests and the benchmark end with it, and an operator can run it to
 * reconcile a period. Meaningful once every batch is aggregated (dead-lettered ones, never aggregated, aside)
 * and none has been dropped by retention.
 */
export async function findRollupDrift({
  db,
  granularity,
}: {
  db: Database;
  granularity: Granularity;
}): Promise<RollupDrift[]> {
  const reference = [...(await recomputeRollups(db, granularity)).values()];
  const column = <K extends keyof Bucket>(key: K, text: (value: Bucket[K]) => string) =>
    reference.map((bucket) => text(bucket[key]));
  const exact = (value: Dec) => value.toFixed();
  // Both sides go through the same cast, so each measure reads as Postgres prints a numeric(38, 12):
  // the reference is rounded once, as storing it would round it.
  const json = (alias: string) =>
    `CASE WHEN ${alias}."tenantId" IS NULL THEN NULL ELSE jsonb_build_object(${measures
      .map((m) => `'${m}', ${alias}.${m}::numeric(38, 12)::text`)
      .join(", ")}) END`;
  const { rows } = await db.pool.query<RollupDrift>(
    `WITH ref AS (
       SELECT * FROM unnest($2::uuid[], $3::uuid[], $4::text[], $5::text[], $6::timestamptz[], $7::numeric[],
                            $8::numeric[], $9::numeric[], $10::numeric[], $11::numeric[], $12::numeric[], $13::numeric[])
         AS r("tenantId", "environmentId", meter, "dimensionKey", "bucketStart", sum, count, min, max, last,
              integral, seconds)
     ), stored AS (SELECT * FROM ${stored[granularity]})
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
    [
      granularity,
      column("tenantId", String),
      column("environmentId", String),
      column("meter", String),
      column("dimensionKey", String),
      column("bucketStart", (at) => new Date(at).toISOString()),
      column("sum", exact),
      column("count", String),
      column("min", exact),
      column("max", exact),
      column("last", exact),
      column("integral", exact),
      column("seconds", exact),
    ],
  );
  return rows;
}

/** One bucket of one series, recomputed exactly from its raw samples. */
interface Bucket {
  tenantId: string;
  environmentId: string;
  meter: string;
  dimensionKey: string;
  bucketStart: number;
  sum: Dec;
  count: number;
  min: Dec;
  max: Dec;
  /** The value of the sample that starts last; of several starting then, the one received last. */
  last: Dec;
  lastStart: number;
  /** value × seconds, summed: the time-weighted integral of a gauge. */
  integral: Dec;
  seconds: Dec;
}

async function recomputeRollups(db: Database, granularity: Granularity): Promise<Map<string, Bucket>> {
  const tenantOf = await tenantsOfEnvironments(db);
  const width = bucketMs[granularity];
  const buckets = new Map<string, Bucket>();
  // Keyset pages in primary-key order, so each page is a range scan of the key's index; batch ids start at 1.
  let after = { id: "0", receivedAt: new Date(0) };
  for (;;) {
    const { rows } = await db.pool.query<{ id: string; receivedAt: Date; body: Buffer }>(
      `SELECT id, "receivedAt", body FROM "SampleBatch"
        WHERE (id, "receivedAt") > ($1, $2) AND "deadLetteredAt" IS NULL ORDER BY id, "receivedAt" LIMIT $3`,
      [after.id, after.receivedAt, batchPage],
    );
    for (const { id, body } of rows) {
      for (const sample of readStoredBatch(body).samples) {
        const tenantId = tenantOf.get(sample.environmentId);
        if (!tenantId)
          throw new Error(`batch ${id} has a sample of unknown environment ${sample.environmentId}`);
        const start = Date.parse(sample.start);
        const bucketStart = Math.floor(start / width) * width;
        const key = dimensionKey(sample.dimensions);
        const value = new Dec(sample.value);
        const seconds = new Dec(sample.seconds);
        const bucketKey = `${sample.environmentId} ${sample.meter} ${key} ${bucketStart}`;
        const bucket = buckets.get(bucketKey);
        if (!bucket) {
          buckets.set(bucketKey, {
            tenantId,
            environmentId: sample.environmentId,
            meter: sample.meter,
            dimensionKey: key,
            bucketStart,
            sum: value,
            count: 1,
            min: value,
            max: value,
            last: value,
            lastStart: start,
            integral: value.times(seconds),
            seconds,
          });
          continue;
        }
        bucket.sum = bucket.sum.plus(value);
        bucket.count += 1;
        if (value.lt(bucket.min)) bucket.min = value;
        if (value.gt(bucket.max)) bucket.max = value;
        if (start >= bucket.lastStart) {
          bucket.last = value;
          bucket.lastStart = start;
        }
        bucket.integral = bucket.integral.plus(value.times(seconds));
        bucket.seconds = bucket.seconds.plus(seconds);
      }
    }
    const last = rows.at(-1);
    if (!last || rows.length < batchPage) return buckets;
    after = { id: last.id, receivedAt: last.receivedAt };
  }
}

/** Every environment's tenant: environments are only ever soft-removed, and their tenant never changes. */
async function tenantsOfEnvironments(db: Database): Promise<Map<string, string>> {
  const { rows } = await db.pool.query<{ id: string; tenantId: string }>(
    `SELECT id, "tenantId" FROM "Environment"`,
  );
  return new Map(rows.map((row) => [row.id, row.tenantId]));
}
