import type { Database } from "@meterplane/db";
import { meterNames, meters } from "@meterplane/wire";
import { checkUsageRange, type UsageBucket } from "./usage-range.ts";

/** Rows of one series each (as the API lists them), or folded into groups for charts. */
export type UsageGrouping = "series" | "tenant" | "environment" | "dimension" | "meter";

interface UsageFilter {
  db: Database;
  /** Null only for operators and operator-wide keys: every tenant. */
  tenantId: string | null;
  environmentId?: string;
  meter?: string;
  /** Only rollups whose dimensions include all of these pairs. */
  dimensions?: Record<string, string>;
  /** [from, to) is widened to the whole buckets it overlaps. */
  from: Date;
  to: Date;
  bucket: UsageBucket;
}

export interface SeriesQuery extends UsageFilter {
  by?: "series";
  /** Keyset: rows after this (bucketStart, environmentId, meter, dimensionKey), in that order. */
  after?: [string, string, string, string] | null;
  limit: number;
}

export interface GroupQuery extends UsageFilter {
  by: Exclude<UsageGrouping, "series">;
  /** Groups kept per meter, largest first; the rest fold into one group `null` ("other"). */
  top: number;
}

export interface UsageRow {
  tenantId: string;
  environmentId: string;
  meter: string;
  dimensionKey: string;
  dimensions: Record<string, string>;
  bucketStart: string;
  sum: string;
  count: string;
  min: string;
  max: string;
  last: string;
  lastAt: string;
  integral: string;
  seconds: string;
}

export interface UsageGroupRow {
  meter: string;
  /** The tenant id, environment id or dimension key the row sums; "" by meter; null for "other". */
  group: string | null;
  bucketStart: string;
  /** What counters accrued in the bucket. */
  sum: string;
  /** Gauges' time-weighted levels (integral ÷ seconds per series), added up over the group's series. */
  level: string;
}

const iso = (column: string) => `to_char(${column} AT TIME ZONE 'UTC', 'YYYY-MM-DD"T"HH24:MI:SS.MS"Z"')`;

// Each bucket as a SQL function of an instant, and its width. date_trunc's week starts on Monday.
const buckets: Record<UsageBucket, { table: string; of: (at: string) => string; width: string }> = {
  hour: { table: "UsageHourly", of: (at) => `date_trunc('hour', ${at}, 'UTC')`, width: "1 hour" },
  "6 hours": {
    table: "UsageHourly",
    of: (at) => `date_bin('6 hours', ${at}, timestamptz '2000-01-01 00:00Z')`,
    width: "6 hours",
  },
  day: { table: "UsageDaily", of: (at) => `date_trunc('day', ${at}, 'UTC')`, width: "1 day" },
  week: { table: "UsageDaily", of: (at) => `date_trunc('week', ${at}, 'UTC')`, width: "1 week" },
  month: { table: "UsageDaily", of: (at) => `date_trunc('month', ${at}, 'UTC')`, width: "1 month" },
};

const groupKeys: Record<GroupQuery["by"], string> = {
  tenant: `"tenantId"::text`,
  environment: `"environmentId"::text`,
  dimension: `"dimensionKey"`,
  meter: `''`,
};

/** $1–$6: tenant, environment, meter, dimensions, and the whole buckets overlapping [from, to). */
function filterSql(of: (at: string) => string, width: string): string {
  return `($1::uuid IS NULL OR "tenantId" = $1) AND ($2::uuid IS NULL OR "environmentId" = $2)
   AND ($3::text IS NULL OR meter = $3) AND dimensions @> $4::jsonb
   AND "bucketStart" >= ${of("$5::timestamptz")}
   AND "bucketStart" < ${of("$6::timestamptz - interval '1 microsecond'")} + interval '${width}'`;
}

/**
 * One row per series and bucket. Buckets wider than the stored rollups fold them: sums
 * add, `last` is the last value by time. Hours and days read as stored (the GROUP BY is then a no-op).
 */
function seriesSql(bucket: UsageBucket): string {
  const { table, of, width } = buckets[bucket];
  return `
SELECT "tenantId", "environmentId", meter, "dimensionKey", (array_agg(dimensions))[1] AS dimensions,
       ${of('"bucketStart"')} AS bucket,
       sum(sum) AS sum, sum(count) AS count, min(min) AS min, max(max) AS max,
       (array_agg(last ORDER BY "lastAt" DESC))[1] AS last, max("lastAt") AS "lastAt",
       sum(integral) AS integral, sum(seconds) AS seconds
  FROM "${table}"
 WHERE ${filterSql(of, width)}
 GROUP BY "tenantId", "environmentId", meter, "dimensionKey", bucket`;
}

// Grouped reads need only what a chart draws, so they skip the series' min/max/last (whose array_agg sorts
// cost most of a read over every tenant): a series' level in a bucket is Σ integral ÷ Σ seconds, then
// series add up into their group. Groups are ranked per meter by what the chart shows of them (gauges'
// level, counters' sum) over the range, and come largest first, "other" last.
// At the stored grain (hours from hourly rollups, days from daily ones) each row already is one series in one
// bucket, so it is read as it is: folding a week of every tenant's hours row by row into groups of one cost
// a hash aggregate as large as the read.
function groupSql(query: GroupQuery): string {
  const { table, of, width } = buckets[query.bucket];
  const stored = query.bucket === "hour" || query.bucket === "day";
  const series = stored
    ? `SELECT meter, ${groupKeys[query.by]} AS "group", "bucketStart" AS bucket, sum,
         CASE WHEN seconds > 0 THEN integral / seconds ELSE 0 END AS level
    FROM "${table}"
   WHERE ${filterSql(of, width)}`
    : `SELECT meter, ${groupKeys[query.by]} AS "group", ${of('"bucketStart"')} AS bucket, sum(sum) AS sum,
         CASE WHEN sum(seconds) > 0 THEN sum(integral) / sum(seconds) ELSE 0 END AS level
    FROM "${table}"
   WHERE ${filterSql(of, width)}
   GROUP BY meter, "group", bucket, "tenantId", "environmentId", "dimensionKey"`;
  return `
WITH series AS (
  ${series}),
grouped AS (
  SELECT meter, "group", bucket, sum(sum) AS sum, sum(level) AS level FROM series GROUP BY meter, "group", bucket),
ranked AS (
  SELECT meter, "group",
         row_number() OVER (PARTITION BY meter
                            ORDER BY sum(CASE WHEN meter = ANY($7) THEN level ELSE sum END) DESC, "group") AS place
    FROM grouped GROUP BY meter, "group")
SELECT g.meter, CASE WHEN r.place <= $8 THEN g."group" END AS "group", ${iso("g.bucket")} AS "bucketStart",
       sum(g.sum)::text AS sum, sum(g.level)::text AS level
  FROM grouped g JOIN ranked r USING (meter, "group")
 GROUP BY g.meter, 2, g.bucket
 ORDER BY g.meter, min(r.place), g.bucket`;
}

function isGroupQuery(query: SeriesQuery | GroupQuery): query is GroupQuery {
  return query.by !== undefined && query.by !== "series";
}

const gauges = meterNames.filter((m) => meters[m].kind === "gauge");

/**
 * The one reader of usage rollups, for the API, exports and every page: usage in the buckets that overlap
 * [from, to), oldest first, decimals as exact strings. By series it pages (keyset); grouped it folds series
 * into at most `top` groups per meter plus "other", so a chart over every tenant stays a few rows per bucket.
 */
export async function getUsage(query: SeriesQuery): Promise<UsageRow[]>;
export async function getUsage(query: GroupQuery): Promise<UsageGroupRow[]>;
export async function getUsage(query: SeriesQuery | GroupQuery): Promise<UsageRow[] | UsageGroupRow[]> {
  checkUsageRange(query.from, query.to, query.bucket);
  const filter = [
    query.tenantId,
    query.environmentId ?? null,
    query.meter ?? null,
    JSON.stringify(query.dimensions ?? {}),
    query.from,
    query.to,
  ];
  if (isGroupQuery(query)) {
    const { rows } = await query.db.pool.query<UsageGroupRow>(groupSql(query), [
      ...filter,
      gauges,
      query.top,
    ]);
    return rows;
  }
  const after = query.after ?? [null, null, null, null];
  const { rows } = await query.db.pool.query<UsageRow>(
    `SELECT "tenantId", "environmentId", meter, "dimensionKey", dimensions, ${iso("bucket")} AS "bucketStart",
            sum::text, count::text, min::text, max::text, last::text, ${iso('"lastAt"')} AS "lastAt",
            integral::text, seconds::text
       FROM (${seriesSql(query.bucket)}) series
      WHERE $7::timestamptz IS NULL OR (bucket, "environmentId", meter, "dimensionKey") > ($7, $8::uuid, $9, $10)
      ORDER BY bucket, "environmentId", meter, "dimensionKey"
      LIMIT $11`,
    [...filter, ...after, query.limit],
  );
  return rows;
}
