import { Readable } from "node:stream";
import { pipeline } from "node:stream/promises";
import { type Database, withTransaction } from "@meterplane/db";
import type pg from "pg";
import { from as copyFrom } from "pg-copy-streams";
import { addFleetRows, foldFleetRows, foldStagedDays, foldStagedSealedHours } from "./fleet-rollups.ts";
import { foldDays, foldStoredBatches } from "./fold-group.ts";
import { lockOpenHours } from "./open-hours.ts";
import type { Rollup } from "./roll-up-samples.ts";
import { rollupCopyChunks, rollupCopyColumns } from "./rollup-copy-text.ts";

export interface BatchRef {
  batchId: string;
  receivedAt: Date | string;
  /** The host that sent it: a worker's lanes each take a disjoint set of hosts (`createHostLanes`). */
  hostId?: string;
}

const rollupColumns = `"tenantId", "environmentId", meter, "dimensionKey", "bucketStart", dimensions, sum, count, min, max, last, "lastAt", integral, seconds`;

/**
 * The rows of one upsert, copied in (COPY text; a temporary table writes no WAL) before one statement merges
 * them. COPY was the cheapest way in: parsing the same rows as one JSON parameter per 5,000 took Postgres
 * more CPU than copying them, and building them cost the worker an object per row, a JSON.stringify and a
 * sort by a concatenated key. Created once per session, emptied at commit and after each upsert.
 */
const createStaging = `
  CREATE TEMP TABLE IF NOT EXISTS "RollupStaging" ("tenantId" uuid, "environmentId" uuid, meter text,
    "dimensionKey" text, "bucketStart" timestamptz, dimensions jsonb, sum numeric, count bigint, min numeric,
    max numeric, last numeric, "lastAt" timestamptz, integral numeric, seconds numeric) ON COMMIT DELETE ROWS`;

/**
 * Settings of the sessions that aggregate: room in memory for a group's stage (`temp_buffers`, a session's
 * buffers for temporary tables) and for the upsert's sort by key (`work_mem`). A lane's group at 6,000
 * hosts stages about 200,000 rows (some 40 MB); under Postgres's defaults (8 MB and 4 MB) the stage was
 * written out to its file and every upsert sorted on disk (55 temporary files, 1 GB, in one fleet step), and
 * the machine needed 1.60 cores for the step against 1.47 with 256 MB of each (`npm run bench -- fleet`);
 * 128 MB holds a lane's group at 10,000 hosts (about 350,000 rows). Both are ceilings, taken as used; a
 * larger group (a pipeline catching up) spills again, more slowly but correctly.
 */
export const aggregationSessionOptions = "-c work_mem=128MB -c temp_buffers=128MB";

/**
 * Adds the rollups `select` yields (the columns of `rollupColumns`, one row per key) to `table`'s. Upserted in
 * key order, so that workers folding overlapping buckets at once queue on the same rows in the same order
 * instead of deadlocking.
 */
export const upsertRollupsFrom = (table: string, select: string) => `
  INSERT INTO "${table}" (${rollupColumns})
  ${select}
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

const upsert = (table: string) =>
  upsertRollupsFrom(table, `SELECT ${rollupColumns} FROM "RollupStaging" ORDER BY 1, 2, 3, 4, 5`);

/**
 * Stages the rollups (COPY), upserts them into `table` in key order (see `upsert`), runs `then` (statements
 * that fold the same staged rows into coarser rollups), and empties the stage.
 */
async function upsertRollups(
  client: pg.PoolClient,
  table: string,
  rollups: Rollup[],
  then: string[],
): Promise<void> {
  if (!rollups.length) return;
  await client.query(createStaging);
  await pipeline(
    Readable.from(rollupCopyChunks(rollups)),
    client.query(copyFrom(`COPY "RollupStaging" (${rollupCopyColumns}) FROM STDIN`)),
  );
  await client.query(upsert(table));
  for (const statement of then) await client.query(statement);
  await client.query(`TRUNCATE "RollupStaging"`);
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
 * transaction claims the batches still unaggregated (marking them), folds their samples into hourly
 * rollups (and daily ones for the hours already sealed, see `lockOpenHours`), and upserts those: it commits
 * or fails whole, so a sample is counted exactly once however often a batch is retried or by however many
 * workers at once (the claim's row lock makes a second claimant wait, then skip what the first took).
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
        // One fold over the whole group, so each series-hour becomes one rollup, not one per batch.
        const { samples, hourly } = await foldStoredBatches(
          claimed.rows.map((row) => row.body),
          (id) => tenantOfEnvironment.get(id) ?? "",
        );
        await assignTenants(client, hourly);
        // Only sealed hours (a late batch's) are added to the days here; the seal adds the open ones.
        const sealedBefore = await lockOpenHours(
          client,
          hourly.map((r) => r.bucketStart),
        );
        const daily = await foldDays(hourly.filter((r) => r.bucketStart < sealedBefore));
        // Nearly every group writes open hours only: then the stage is not read through again for none.
        await upsertRollups(
          client,
          "UsageHourly",
          hourly,
          daily.length ? foldStagedSealedHours(sealedBefore) : [],
        );
        await upsertRollups(client, "UsageDaily", daily, foldStagedDays);
        const fleet = foldFleetRows(hourly, daily, sealedBefore);
        await addFleetRows(client, "UsageFleetHourly", fleet.hours);
        await addFleetRows(client, "UsageFleetDaily", fleet.days);
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
