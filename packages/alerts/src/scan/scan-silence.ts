import { randomUUID } from "node:crypto";
import { checkSilence, readSeriesState } from "@meterplane/anomaly";
import { type Database, oldestWaitingBatch, withTransaction } from "@meterplane/db";
import { recordAnomaly } from "./record-anomaly.ts";
import type { SeriesKey } from "./scan-series.ts";

/**
 * The time up to which every batch ingest received has been aggregated: when the oldest batch still
 * waiting was received, or `now` when none waits. Read it before `scanSeries`, which then sees in the
 * rollups every sample received before it.
 */
export async function aggregatedThrough(db: Database, now = new Date()): Promise<Date> {
  const { rows } = await db.pool.query<{ oldest: Date | null }>(
    `SELECT "receivedAt" AS oldest FROM (${oldestWaitingBatch}) o`,
  );
  const oldest = rows[0]?.oldest;
  return oldest && oldest < now ? oldest : now;
}

/**
 * Raises one silence anomaly per episode for every series (environment × meter × dimensions) that has
 * stopped reporting: judged from its own expected interval (`checkSilence`), so an environment reported
 * every 10 s is silent after about half a minute and an hourly one after hours. A host that goes silent
 * silences every series of its environments. Cleared when a point comes (`scanSeries`).
 *
 * Judged at `settledAt` (default: `aggregatedThrough` now), not at `now`: samples waiting in our own
 * pipeline (a worker restarting, a backlog) are late on our side, and the series that sent them is not
 * silent.
 */
export async function scanSilence({
  db,
  now = new Date(),
  settledAt,
}: {
  db: Database;
  now?: Date;
  settledAt?: Date;
}): Promise<number> {
  const settled = settledAt ?? (await aggregatedThrough(db, now));
  const judgedAt = settled < now ? settled : now;
  // A sequential scan: "silentAfter" is left unindexed so that scoring updates the rows in place (HOT).
  const { rows } = await db.pool.query<SeriesKey>(
    `SELECT "tenantId", "environmentId", meter, "dimensionKey" FROM "AnomalySeries"
      WHERE "silentAfter" <= $1 AND "silentSince" IS NULL AND "mutedAt" IS NULL`,
    [judgedAt],
  );
  let raised = 0;
  for (const key of rows) {
    const keyValues = [key.tenantId, key.environmentId, key.meter, key.dimensionKey];
    raised += await withTransaction(db.pool, async (client) => {
      const locked = await client.query<{ state: unknown }>(
        `SELECT state FROM "AnomalySeries"
          WHERE "tenantId" = $1 AND "environmentId" = $2 AND meter = $3 AND "dimensionKey" = $4
            AND "silentSince" IS NULL AND "mutedAt" IS NULL FOR UPDATE`,
        keyValues,
      );
      if (!locked.rows[0]) return 0;
      const state = readSeriesState(locked.rows[0].state);
      const { score, kind } = checkSilence(state, judgedAt.getTime());
      if (!kind) return 0;
      await recordAnomaly(client, {
        ...key,
        id: randomUUID(),
        kind,
        score,
        value: null,
        windowStart: new Date(state.lastAt),
        windowEnd: judgedAt,
        detectedAt: now,
      });
      await client.query(
        `UPDATE "AnomalySeries" SET "silentSince" = $5
          WHERE "tenantId" = $1 AND "environmentId" = $2 AND meter = $3 AND "dimensionKey" = $4`,
        [...keyValues, new Date(state.lastAt)],
      );
      return 1;
    });
  }
  return raised;
}
