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
  /** The series has no state yet (no `AnomalySeries` row when the hours were read). */
  unscored: boolean;
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

/** Series per transaction: few round trips and commits a scan, row locks held for well under a second. */
const chunkSize = 500;

/**
 * Feeds every series whose hourly rollup grew since its watermark to the detector, in time order. A point
 * is what the rollup gained since the last one: the mean sample value of the samples folded in between,
 * at the time of the latest sample. Samples folded into an hour older than the watermark arrived too late
 * to be scored (they are billed all the same). Series are scored in chunks, one transaction each: the
 * chunk's series rows locked in key order, its points, anomalies, states and watermarks written with
 * multi-row statements, so two workers never score the same point twice (the second finds the watermark
 * moved and skips what it read) nor deadlock, and a killed worker leaves each series as of its chunk's
 * last commit. A fleet's series cost a scan a few statements per chunk, not per series.
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
            h.sum::text AS sum, h.count::text AS count, h."lastAt", s."markHour" IS NULL AS unscored
       FROM "UsageHourly" h
       LEFT JOIN "AnomalySeries" s USING (${keyColumns})
      WHERE h."bucketStart" >= $1
        AND (s."markHour" IS NULL OR h."bucketStart" > s."markHour"
             OR (h."bucketStart" = s."markHour" AND h.count > s."markCount"))
      ORDER BY h."tenantId", h."environmentId", h.meter, h."dimensionKey", h."bucketStart"`,
    [since],
  );
  // Rows come in key order: a series' hours are consecutive, and the series are in Postgres's key order.
  const grown: HourRow[][] = [];
  for (const row of rows) {
    const hours = grown.at(-1);
    if (hours && sameSeries(hours[0]!, row)) hours.push(row);
    else grown.push([row]);
  }
  const totals = { series: grown.length, points: 0, anomalies: 0 };
  for (let i = 0; i < grown.length; i += chunkSize) {
    const chunk = grown.slice(i, i + chunkSize);
    const result = await withTransaction(db.pool, (client) => scoreChunk(client, chunk, now, settings));
    totals.points += result.points;
    totals.anomalies += result.anomalies;
  }
  return totals;
}

const sameSeries = (a: SeriesKey, b: SeriesKey) =>
  a.tenantId === b.tenantId &&
  a.environmentId === b.environmentId &&
  a.meter === b.meter &&
  a.dimensionKey === b.dimensionKey;

const keyOf = (k: SeriesKey) => `${k.tenantId}|${k.environmentId}|${k.meter}|${k.dimensionKey}`;

/** The chunk's keys as four parallel arrays, for `unnest`. */
const keyArrays = (keys: SeriesKey[]) => [
  keys.map((k) => k.tenantId),
  keys.map((k) => k.environmentId),
  keys.map((k) => k.meter),
  keys.map((k) => k.dimensionKey),
];

interface SavedSeries extends SeriesKey {
  state: unknown;
  markHour: Date;
  markSum: string;
  markCount: string;
  mutedAt: Date | null;
}

async function scoreChunk(client: pg.PoolClient, chunk: HourRow[][], now: Date, settings: DetectorSettings) {
  const keys: HourRow[] = chunk.map((hours) => hours[0]!);
  // States for the series first seen (another worker may be creating them too: the first one's stays).
  const unscored = keys.filter((key) => key.unscored);
  if (unscored.length)
    await client.query(
      `INSERT INTO "AnomalySeries" (${keyColumns}, state, "markHour", "markSum", "markCount")
     SELECT t, e, m, d, $5::json, 'epoch', 0, 0 FROM unnest($1::uuid[], $2::uuid[], $3::text[], $4::text[]) AS x(t, e, m, d)
     ON CONFLICT DO NOTHING`,
      [...keyArrays(unscored), JSON.stringify(createSeriesState())],
    );
  const { rows } = await client.query<SavedSeries>(
    `SELECT s."tenantId", s."environmentId", s.meter, s."dimensionKey", s.state, s."markHour",
            s."markSum"::text AS "markSum", s."markCount", s."mutedAt"
       FROM "AnomalySeries" s
       JOIN unnest($1::uuid[], $2::uuid[], $3::text[], $4::text[]) AS x(t, e, m, d)
         ON s."tenantId" = x.t AND s."environmentId" = x.e AND s.meter = x.m AND s."dimensionKey" = x.d
      ORDER BY s."tenantId", s."environmentId", s.meter, s."dimensionKey" FOR UPDATE OF s`,
    keyArrays(keys),
  );
  const savedOf = new Map(rows.map((row) => [keyOf(row), row]));
  const scored = chunk.map((hours) => scoreHours(savedOf.get(keyOf(hours[0]!))!, hours, now, settings));
  for (const { anomalies } of scored) for (const anomaly of anomalies) await recordAnomaly(client, anomaly);
  await client.query(
    `UPDATE "AnomalySeries" s SET state = x.state, "markHour" = x.h, "markSum" = x.sum, "markCount" = x.count,
            "silentAfter" = x.silent, "silentSince" = NULL, "updatedAt" = $10
       FROM unnest($1::uuid[], $2::uuid[], $3::text[], $4::text[], $5::json[], $6::timestamptz[], $7::numeric[],
                   $8::bigint[], $9::timestamptz[]) AS x(t, e, m, d, state, h, sum, count, silent)
      WHERE s."tenantId" = x.t AND s."environmentId" = x.e AND s.meter = x.m AND s."dimensionKey" = x.d`,
    [
      ...keyArrays(keys),
      scored.map((s) => JSON.stringify(s.state)),
      scored.map((s) => new Date(s.mark.hour)),
      scored.map((s) => s.mark.sum.toFixed()),
      scored.map((s) => s.mark.count.toString()),
      scored.map((s) => s.silentAfter),
      now,
    ],
  );
  return {
    points: scored.reduce((n, s) => n + s.points, 0),
    anomalies: scored.reduce((n, s) => n + s.anomalies.length, 0),
  };
}

/**
 * One series' new points, scored from its saved state and watermark: the state and watermark to store, and
 * the anomalies to record (none while the series is muted).
 */
function scoreHours(saved: SavedSeries, hours: HourRow[], now: Date, settings: DetectorSettings) {
  const key: SeriesKey = hours[0]!;
  const state: SeriesState = seriesStateSchema.parse(saved.state);
  let mark = { hour: saved.markHour.getTime(), sum: new Dec(saved.markSum), count: BigInt(saved.markCount) };
  let points = 0;
  const anomalies: NewAnomaly[] = [];
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
    if (kind && score >= settings.alertScore && !saved.mutedAt)
      anomalies.push({
        ...key,
        id: randomUUID(),
        kind,
        score,
        value,
        windowStart: new Date(previousAt),
        windowEnd: new Date(at + Math.max(1, state.interval)),
        detectedAt: now,
      });
  }
  const silentAt =
    state.n >= silenceSettings.minPoints && state.interval > 0 ? new Date(silentAfter(state)) : null;
  return { state, mark, points, anomalies, silentAfter: silentAt };
}
