import { randomUUID } from "node:crypto";
import {
  createSeriesState,
  type DetectorSettings,
  detectorSettings,
  type SeriesState,
  scorePoint,
  seriesStateSchema,
  silenceSettings,
  silentAfter,
} from "@meterplane/anomaly";
import { Dec } from "@meterplane/core";
import { type Database, withTransaction } from "@meterplane/db";
import type pg from "pg";
import { type NewAnomaly, recordAnomaly } from "./record-anomaly.ts";

export interface SeriesKey {
  tenantId: string;
  environmentId: string;
  meter: string;
  dimensionKey: string;
}

interface HourRow extends SeriesKey {
  bucketStart: Date;
  sum: string;
  count: string;
  lastAt: Date;
}

export interface ScanOptions {
  db: Database;
  now?: Date;
  /** Hours back a series is read from when it has no watermark yet (and the oldest hour read at all). */
  lookbackHours?: number;
  /** The detector's constants: tests pass a short warm-up; the worker uses the defaults. */
  settings?: DetectorSettings;
}

const hourMs = 3_600_000;
const keyColumns = `"tenantId", "environmentId", meter, "dimensionKey"`;

/**
 * Feeds every series whose hourly rollup grew since its watermark to the detector, in time order. A point
 * is what the rollup gained since the last one: the mean sample value of the samples folded in between,
 * at the time of the latest sample. Samples folded into an hour older than the watermark arrived too late
 * to be scored (they are billed all the same). Each series' points, its anomalies, its state and its
 * watermark are written in one transaction with the series row locked, so two workers never score the
 * same point twice and a killed worker leaves the series as of its last commit.
 */
export async function scanSeries({
  db,
  now = new Date(),
  lookbackHours = 2,
  settings = detectorSettings,
}: ScanOptions): Promise<{ series: number; points: number; anomalies: number }> {
  const since = new Date(Math.floor(now.getTime() / hourMs) * hourMs - lookbackHours * hourMs);
  const { rows } = await db.pool.query<HourRow>(
    `SELECT h."tenantId", h."environmentId", h.meter, h."dimensionKey", h."bucketStart",
            h.sum::text AS sum, h.count::text AS count, h."lastAt"
       FROM "UsageHourly" h
       LEFT JOIN "AnomalySeries" s USING (${keyColumns})
      WHERE h."bucketStart" >= $1
        AND (s."markHour" IS NULL OR h."bucketStart" > s."markHour"
             OR (h."bucketStart" = s."markHour" AND h.count > s."markCount"))
      ORDER BY h."tenantId", h."environmentId", h.meter, h."dimensionKey", h."bucketStart"`,
    [since],
  );
  const bySeries = new Map<string, HourRow[]>();
  for (const row of rows) {
    const id = [row.tenantId, row.environmentId, row.meter, row.dimensionKey].join("\u0000");
    bySeries.set(id, [...(bySeries.get(id) ?? []), row]);
  }
  const totals = { series: bySeries.size, points: 0, anomalies: 0 };
  for (const hours of bySeries.values()) {
    const result = await withTransaction(db.pool, (client) => scoreHours(client, hours, now, settings));
    totals.points += result.points;
    totals.anomalies += result.anomalies;
  }
  return totals;
}

async function scoreHours(client: pg.PoolClient, hours: HourRow[], now: Date, settings: DetectorSettings) {
  const key: SeriesKey = hours[0]!;
  const keyValues = [key.tenantId, key.environmentId, key.meter, key.dimensionKey];
  await client.query(
    `INSERT INTO "AnomalySeries" (${keyColumns}, state, "markHour", "markSum", "markCount")
     VALUES ($1, $2, $3, $4, $5, 'epoch', 0, 0) ON CONFLICT DO NOTHING`,
    [...keyValues, JSON.stringify(createSeriesState())],
  );
  const { rows } = await client.query<{
    state: unknown;
    markHour: Date;
    markSum: string;
    markCount: string;
    mutedAt: Date | null;
  }>(
    `SELECT state, "markHour", "markSum"::text AS "markSum", "markCount", "mutedAt" FROM "AnomalySeries"
      WHERE "tenantId" = $1 AND "environmentId" = $2 AND meter = $3 AND "dimensionKey" = $4 FOR UPDATE`,
    keyValues,
  );
  const saved = rows[0]!;
  const state: SeriesState = seriesStateSchema.parse(saved.state);
  let mark = { hour: saved.markHour.getTime(), sum: new Dec(saved.markSum), count: BigInt(saved.markCount) };
  let points = 0;
  let anomalies = 0;
  for (const hour of hours) {
    const start = hour.bucketStart.getTime();
    const sameHour = start === mark.hour;
    if (start < mark.hour || (sameHour && BigInt(hour.count) <= mark.count)) continue;
    const sum = new Dec(hour.sum).minus(sameHour ? mark.sum : 0);
    const count = BigInt(hour.count) - (sameHour ? mark.count : 0n);
    mark = { hour: start, sum: new Dec(hour.sum), count: BigInt(hour.count) };
    const at = hour.lastAt.getTime();
    // Late samples folded into the hour without a newer one: nothing new in time order to score.
    if (at <= state.lastAt && state.n > 0) continue;
    const value = sum.div(count.toString()).toNumber();
    const previousAt = state.n > 0 ? state.lastAt : at;
    const { score, kind } = scorePoint(state, at, value, settings);
    points += 1;
    if (kind && score >= settings.alertScore && !saved.mutedAt) {
      const anomaly: NewAnomaly = {
        ...key,
        id: randomUUID(),
        kind,
        score,
        value,
        windowStart: new Date(previousAt),
        windowEnd: new Date(at + Math.max(1, state.interval)),
        detectedAt: now,
      };
      await recordAnomaly(client, anomaly);
      anomalies += 1;
    }
  }
  await client.query(
    `UPDATE "AnomalySeries" SET state = $5, "markHour" = $6, "markSum" = $7, "markCount" = $8,
            "silentAfter" = $9, "silentSince" = NULL, "updatedAt" = $10
      WHERE "tenantId" = $1 AND "environmentId" = $2 AND meter = $3 AND "dimensionKey" = $4`,
    [
      ...keyValues,
      JSON.stringify(state),
      new Date(mark.hour),
      mark.sum.toFixed(),
      mark.count.toString(),
      state.n >= silenceSettings.minPoints && state.interval > 0 ? new Date(silentAfter(state)) : null,
      now,
    ],
  );
  return { points, anomalies };
}
