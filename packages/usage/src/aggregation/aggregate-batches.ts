import { type Database, withTransaction } from "@meterplane/db";
import { countSamples, decodeStoredBatch } from "@meterplane/wire";
import type pg from "pg";
import { upsertFleetRollups } from "./fleet-rollups.ts";
import { mergeRollups, type Rollup, rollUpSeries, valueScale } from "./roll-up-samples.ts";
import { scaledText } from "./scaled-decimal.ts";

export interface BatchRef {
  batchId: string;
  receivedAt: Date | string;
}

const rollupColumns = `"tenantId", "environmentId", meter, "dimensionKey", "bucketStart", dimensions, sum, count, min, max, last, "lastAt", integral, seconds`;

// Rows arrive as one JSON parameter (JSON.stringify is native; building 14 array literals element by element
// in the driver was a sixth of the worker's CPU) and are upserted in key order, so that workers folding
// overlapping buckets at once queue on the same rows in the same order instead of deadlocking.
const upsert = (table: string, parameter: number) => `
  INSERT INTO "${table}" (${rollupColumns})
  SELECT ${rollupColumns} FROM json_to_recordset($${parameter}::json) AS r("tenantId" uuid, "environmentId" uuid,
    meter text, "dimensionKey" text, "bucketStart" timestamptz, dimensions jsonb, sum numeric, count bigint,
    min numeric, max numeric, last numeric, "lastAt" timestamptz, integral numeric, seconds numeric)
   ORDER BY 1, 2, 3, 4, 5
  ON CONFLICT ("tenantId", "environmentId", "meter", "dimensionKey", "bucketStart") DO UPDATE SET
    "sum" = "${table}"."sum" + EXCLUDED."sum",
    "count" = "${table}"."count" + EXCLUDED."count",
    "min" = LEAST("${table}"."min", EXCLUDED."min"),
    "max" = GREATEST("${table}"."max", EXCLUDED."max"),
    "last" = CASE WHEN EXCLUDED."lastAt" >= "${table}"."lastAt" THEN EXCLUDED."last" ELSE "${table}"."last" END,
    "lastAt" = GREATEST("${table}"."lastAt", EXCLUDED."lastAt"),
    "integral" = "${table}"."integral" + EXCLUDED."integral",
    "seconds" = "${table}"."seconds" + EXCLUDED."seconds",
    "updatedAt" = now()`;

/**
 * Rows per upsert statement: a group that folds a whole window of a wide fleet touches hundreds of thousands
 * of series-hours, more than one JSON parameter should carry; the chunks run in the same transaction.
 */
const rowsPerStatement = 5000;

const keyOf = (r: Rollup) => `${r.tenantId}|${r.environmentId}|${r.meter}|${r.dimensionKey}|${r.bucketStart}`;

/** Upserts rollups in chunks, every chunk and the rows inside it in one key order (see `upsert`). */
async function upsertRollups(client: pg.PoolClient, table: string, rollups: Rollup[]): Promise<void> {
  const sorted = rollups
    .map((r) => ({ key: keyOf(r), r }))
    .sort((a, b) => (a.key < b.key ? -1 : a.key > b.key ? 1 : 0));
  for (let i = 0; i < sorted.length; i += rowsPerStatement)
    await client.query(upsert(table, 1), [rowsJson(sorted.slice(i, i + rowsPerStatement).map(({ r }) => r))]);
}

const valueText = (units: bigint) => scaledText({ units, scale: valueScale });

/** Rollups as the JSON rows the upsert reads: decimals as strings, so Postgres reads them exactly. */
function rowsJson(rollups: Rollup[]): string {
  return JSON.stringify(
    rollups.map((r) => ({
      tenantId: r.tenantId,
      environmentId: r.environmentId,
      meter: r.meter,
      dimensionKey: r.dimensionKey,
      bucketStart: new Date(r.bucketStart).toISOString(),
      dimensions: r.dimensions,
      sum: valueText(r.sum),
      count: r.count,
      min: valueText(r.min),
      max: valueText(r.max),
      last: valueText(r.last),
      lastAt: new Date(r.lastAt).toISOString(),
      integral: scaledText(r.integral),
      seconds: scaledText(r.seconds),
    })),
  );
}

// An environment never changes tenant (environments are only ever soft-removed), so the map only grows.
const tenantOfEnvironment = new Map<string, string>();

/** Fills in the tenant of rollups folded before it was known, looking up environments not seen yet. */
async function assignTenants(client: pg.PoolClient, rollups: Rollup[]): Promise<void> {
  const missing = new Set(rollups.filter((r) => !r.tenantId).map((r) => r.environmentId));
  if (!missing.size) return;
  const { rows } = await client.query<{ id: string; tenantId: string }>(
    `SELECT id, "tenantId" FROM "Environment" WHERE id = ANY($1::uuid[])`,
    [[...missing]],
  );
  for (const row of rows) tenantOfEnvironment.set(row.id, row.tenantId);
  for (const rollup of rollups) {
    if (rollup.tenantId) continue;
    const tenantId = tenantOfEnvironment.get(rollup.environmentId);
    if (!tenantId)
      throw new Error(`a stored sample names environment ${rollup.environmentId}, which does not exist`);
    rollup.tenantId = tenantId;
  }
}

/**
 * Moves each environment's `lastSampleAt` on to the start of its latest sample in the group: one row per
 * environment (a few percent of the rollup rows the group upserts), and only when it moves forward, so a
 * late batch writes nothing. Written after the rollups: two groups sharing environments have almost always
 * queued on the same rollup rows already, and a deadlock left over is retried like the rollups'.
 */
async function recordLastSamples(client: pg.PoolClient, hourly: Rollup[]): Promise<void> {
  const latest = new Map<string, number>();
  for (const r of hourly) latest.set(r.environmentId, Math.max(latest.get(r.environmentId) ?? 0, r.lastAt));
  if (!latest.size) return;
  const ids = [...latest.keys()];
  await client.query(
    `UPDATE "Environment" e SET "lastSampleAt" = r.at
       FROM unnest($1::uuid[], $2::timestamptz[]) AS r(id, at)
      WHERE e.id = r.id AND (e."lastSampleAt" IS NULL OR e."lastSampleAt" < r.at)`,
    [ids, ids.map((id) => new Date(latest.get(id)!).toISOString())],
  );
}

export interface AggregatedBatches {
  batches: number;
  samples: number;
  /** Hourly and daily rows upserted. */
  rollups: number;
  /** When each batch aggregated was stored (epoch ms): its rollups are readable from the return on. */
  receivedAt: number[];
}

/** Deadlock and serialization failure: the transaction rolled back whole and may simply run again. */
export const retryableCodes = new Set(["40P01", "40001"]);

/**
 * Aggregates the given batches (those already aggregated are skipped); returns how many it took. One
 * transaction claims the batches still unaggregated (marking them), folds their samples into hourly and
 * daily rollups, and upserts those: it commits or fails whole, so a sample is counted exactly once however
 * often a batch is retried or by however many workers at once (the claim's row lock makes a second
 * claimant wait, then skip what the first took).
 */
export async function aggregateBatches({
  db,
  batches,
}: {
  db: Database;
  batches: BatchRef[];
}): Promise<AggregatedBatches> {
  if (!batches.length) return { batches: 0, samples: 0, rollups: 0, receivedAt: [] };
  const ids = batches.map((b) => b.batchId);
  const receivedAts = batches.map((b) => new Date(b.receivedAt).toISOString());
  for (let attempt = 1; ; attempt++) {
    try {
      return await withTransaction(db.pool, async (client) => {
        const claimed = await client.query<{ body: Buffer; receivedAt: Date }>(
          `UPDATE "SampleBatch" b SET "aggregatedAt" = now()
             FROM unnest($1::bigint[], $2::timestamptz[]) AS r(id, "receivedAt")
            WHERE b.id = r.id AND b."receivedAt" = r."receivedAt" AND b."aggregatedAt" IS NULL
              AND b."deadLetteredAt" IS NULL
           RETURNING b.body, b."receivedAt"`,
          [ids, receivedAts],
        );
        let samples = 0;
        // One fold over the whole group, decoding a batch only when the fold reaches it, so only one
        // batch's samples are alive at a time and each series-hour becomes one rollup, not one per batch.
        function* groupSeries() {
          for (const row of claimed.rows) {
            const batch = decodeStoredBatch(row.body);
            samples += countSamples(batch);
            yield* batch.series;
          }
        }
        const rollups = rollUpSeries(groupSeries(), (id) => tenantOfEnvironment.get(id) ?? "");
        await assignTenants(client, rollups);
        const { hourly, daily } = mergeRollups(rollups);
        await upsertRollups(client, "UsageHourly", hourly);
        await upsertRollups(client, "UsageDaily", daily);
        await upsertFleetRollups(client, { hourly, daily });
        await recordLastSamples(client, hourly);
        return {
          batches: claimed.rowCount ?? 0,
          samples,
          rollups: hourly.length + daily.length,
          receivedAt: claimed.rows.map((row) => row.receivedAt.getTime()),
        };
      });
    } catch (error) {
      // A deadlock with another worker rolls the whole transaction back, so retrying is safe.
      if (attempt >= 5 || !retryableCodes.has((error as { code?: string }).code ?? "")) throw error;
    }
  }
}
