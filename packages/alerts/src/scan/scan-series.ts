import { randomUUID } from "node:crypto";
import {
  createSeriesState,
  type DetectorSettings,
  detectorSettings,
  readSeriesState,
  type SeriesState,
  scorePoint,
  silenceSettings,
  silentAfter,
} from "@meterplane/anomaly";
import { Dec } from "@meterplane/core";
import { type Database, withTransaction } from "@meterplane/db";
import type pg from "pg";
import { dutyCycle } from "./duty-cycle.ts";
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
  /**
   * Hour rows read at a time: a fleet's scan reads millions, which held at once grew the worker's heap by
   * gigabytes. Tests pass a few, to cross pages.
   */
  pageRows?: number;
  /**
   * The most of the time the scan may take: it rests after each chunk of series for as long as that
   * share requires (`dutyCycle`; a function is read after each chunk). The worker passes `ANOMALY_SCAN_SHARE`,
   * or less while aggregation is behind; tests run unpaced.
   */
  share?: number | (() => number);
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
 * chunk's states, watermarks and anomalies written with multi-row statements, a series' only where its
 * watermark is still the one read, so two workers never score the same point twice (the second finds the
 * watermark moved and drops what it scored) nor deadlock, and a killed worker leaves each series as of its
 * chunk's last commit. A fleet's series cost a scan a few statements per chunk, not per series.
 */
export async function scanSeries({
  db,
  now = new Date(),
  lookbackHours = 2,
  settings = detectorSettings,
  pageRows = 20_000,
  share = 1,
}: ScanOptions): Promise<{ series: number; points: number; anomalies: number }> {
  const since = new Date(Math.floor(now.getTime() / hourMs) * hourMs - lookbackHours * hourMs);
  const totals = { series: 0, points: 0, anomalies: 0 };
  const paced = dutyCycle(share);
  const score = async (series: HourRow[][]) => {
    totals.series += series.length;
    for (let i = 0; i < series.length; i += chunkSize) {
      const chunk = series.slice(i, i + chunkSize);
      const result = await paced(() => scoreChunkOnce(db, chunk, now, settings));
      totals.points += result.points;
      totals.anomalies += result.anomalies;
    }
  };
  let carried: HourRow[] | undefined;
  await readGrownHours(db, since, pageRows, async (rows, last) => {
    // Rows come in key order: a series' hours are consecutive, and the series are in Postgres's key order.
    const grown = carried ? [carried] : [];
    for (const row of rows) {
      const hours = grown.at(-1);
      if (hours && sameSeries(hours[0]!, row)) hours.push(row);
      else grown.push([row]);
    }
    // The page's last series may go on in the next page.
    carried = last ? undefined : grown.pop();
    await score(grown);
  });
  return totals;
}

/**
 * Hands `onPage` the hour rows grown since their series' watermark, in key and time order, a page at a
 * time. The cursor is declared WITH HOLD: its rows are materialised when it is declared, so the scan holds
 * no snapshot open while it scores (that would keep Postgres from pruning any table's dead row versions
 * for as long as a fleet's scan takes).
 */
async function readGrownHours(
  db: Database,
  since: Date,
  pageRows: number,
  onPage: (rows: HourRow[], last: boolean) => Promise<void>,
): Promise<void> {
  const reader = await db.pool.connect();
  let broken = false;
  try {
    await reader.query("BEGIN");
    await reader.query(
      `DECLARE grown_hours NO SCROLL CURSOR WITH HOLD FOR
       SELECT h."tenantId", h."environmentId", h.meter, h."dimensionKey", h."bucketStart",
              h.sum::text AS sum, h.count::text AS count, h."lastAt", s."markHour" IS NULL AS unscored
         FROM "UsageHourly" h
         LEFT JOIN "AnomalySeries" s USING (${keyColumns})
        WHERE h."bucketStart" >= '${since.toISOString()}'
          AND (s."markHour" IS NULL OR h."bucketStart" > s."markHour"
               OR (h."bucketStart" = s."markHour" AND h.count > s."markCount"))
        ORDER BY h."tenantId", h."environmentId", h.meter, h."dimensionKey", h."bucketStart"`,
    );
    await reader.query("COMMIT");
    for (;;) {
      const { rows } = await reader.query<HourRow>(`FETCH ${pageRows} FROM grown_hours`);
      const last = rows.length < pageRows;
      await onPage(rows, last);
      if (last) break;
    }
    await reader.query("CLOSE grown_hours");
  } catch (error) {
    broken = db.unreachable(error);
    if (!broken) await reader.query("ROLLBACK; CLOSE ALL").catch(() => undefined);
    throw error;
  } finally {
    reader.release(broken);
  }
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

/**
 * `scoreChunk` in a transaction of its own, run again if it deadlocked: two scans lock a chunk's rows in the
 * order the update's plan meets them, which is key order with the plan Postgres picks for a chunk, but the
 * plan is Postgres's choice. A deadlock rolls the chunk back whole, so scoring it again counts nothing twice.
 */
async function scoreChunkOnce(db: Database, chunk: HourRow[][], now: Date, settings: DetectorSettings) {
  for (let attempt = 1; ; attempt++) {
    try {
      return await withTransaction(db.pool, (client) => scoreChunk(client, chunk, now, settings));
    } catch (error) {
      if (attempt >= 3 || (error as { code?: string }).code !== "40P01") throw error;
    }
  }
}

/**
 * Scores a chunk of series in one transaction. The states are read without a lock and written back only
 * where the watermark is still the one read: a series another worker scored meanwhile is left as that worker
 * wrote it, and neither its points nor its anomalies are counted here. (Locking the rows as they were read
 * wrote every row twice.) The new states go as one JSON array: as a text array, every character of every
 * state was escaped by the driver and parsed again by Postgres.
 */
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
         ON s."tenantId" = x.t AND s."environmentId" = x.e AND s.meter = x.m AND s."dimensionKey" = x.d`,
    keyArrays(keys),
  );
  const savedOf = new Map(rows.map((row) => [keyOf(row), row]));
  const scored = chunk.map((hours) => {
    const saved = savedOf.get(keyOf(hours[0]!))!;
    return { saved, ...scoreHours(saved, hours, now, settings) };
  });
  // Updated in key order (see `scoreChunkOnce`), so that two scans of the same series wait for each other.
  const written = await client.query<SeriesKey>(
    `UPDATE "AnomalySeries" s SET state = x.state, "markHour" = x.h, "markSum" = x.sum, "markCount" = x.count,
            "silentAfter" = x.silent, "silentSince" = NULL, "updatedAt" = $12
       FROM (SELECT * FROM ROWS FROM (unnest($1::uuid[], $2::uuid[], $3::text[], $4::text[], $5::timestamptz[],
                                             $6::numeric[], $7::bigint[], $8::timestamptz[], $9::timestamptz[],
                                             $10::bigint[])) WITH ORDINALITY
                      AS k(t, e, m, d, h, sum, count, silent, "readHour", "readCount", i)
               JOIN json_array_elements($11::json) WITH ORDINALITY AS j(state, i) USING (i)
              ORDER BY t, e, m, d) x
      WHERE s."tenantId" = x.t AND s."environmentId" = x.e AND s.meter = x.m AND s."dimensionKey" = x.d
        AND s."markHour" = x."readHour" AND s."markCount" = x."readCount"
      RETURNING s."tenantId", s."environmentId", s.meter, s."dimensionKey"`,
    [
      ...keyArrays(scored.map((s) => s.saved)),
      scored.map((s) => new Date(s.mark.hour)),
      scored.map((s) => s.mark.sum.toFixed()),
      scored.map((s) => s.mark.count.toString()),
      scored.map((s) => s.silentAfter),
      scored.map((s) => s.saved.markHour),
      scored.map((s) => s.saved.markCount),
      JSON.stringify(scored.map((s) => s.state)),
      now,
    ],
  );
  const ours = new Set(written.rows.map(keyOf));
  let points = 0;
  let anomalies = 0;
  for (const series of scored) {
    if (!ours.has(keyOf(series.saved))) continue;
    points += series.points;
    if (series.saved.mutedAt) continue;
    for (const anomaly of series.anomalies) await recordAnomaly(client, anomaly);
    anomalies += series.anomalies.length;
  }
  return { points, anomalies };
}

/**
 * One series' new points, scored from its saved state and watermark: the state and watermark to store, and
 * the anomalies found (recorded only if the series is not muted).
 */
function scoreHours(saved: SavedSeries, hours: HourRow[], now: Date, settings: DetectorSettings) {
  const key: SeriesKey = hours[0]!;
  const state: SeriesState = readSeriesState(saved.state);
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
    if (kind && score >= settings.alertScore)
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
