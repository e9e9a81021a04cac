import { type Database, dailyRollups, environmentHours } from "@meterplane/db";
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
  /** Where a bucket still running ends for gauges' levels (see `UsageGroupRow.level`); the present by default. */
  now?: Date;
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
  /**
   * A gauge's level: the group's Σ integral ÷ the bucket's elapsed seconds (its end clipped to `now`), i.e.
   * the average total in use over the bucket, a series absent for part of it counting zero for that part.
   */
  level: string;
}

const iso = (column: string) => `to_char(${column} AT TIME ZONE 'UTC', 'YYYY-MM-DD"T"HH24:MI:SS.MS"Z"')`;

/** Series rows of hours matching `where` (a FROM item and its filter). */
const hours = (where: string) => `"UsageHourly" WHERE ${where}`;
/** Series rows of days matching `where`: the sealed hours' `UsageDaily` rows and the open hours folded. */
const days = (where: string) => `${dailyRollups(where)} AS days`;

// Each bucket as a SQL function of an instant, and its width. date_trunc's week starts on Monday.
const buckets: Record<
  UsageBucket,
  {
    series: (where: string) => string;
    fleet: string;
    of: (at: string) => string;
    width: string;
  }
> = {
  hour: {
    series: hours,
    fleet: "UsageFleetHourly",
    of: (at) => `date_trunc('hour', ${at}, 'UTC')`,
    width: "1 hour",
  },
  "6 hours": {
    series: hours,
    fleet: "UsageFleetHourly",
    of: (at) => `date_bin('6 hours', ${at}, timestamptz '2000-01-01 00:00Z')`,
    width: "6 hours",
  },
  day: {
    series: days,
    fleet: "UsageFleetDaily",
    of: (at) => `date_trunc('day', ${at}, 'UTC')`,
    width: "1 day",
  },
  week: {
    series: days,
    fleet: "UsageFleetDaily",
    of: (at) => `date_trunc('week', ${at}, 'UTC')`,
    width: "1 week",
  },
  month: {
    series: days,
    fleet: "UsageFleetDaily",
    of: (at) => `date_trunc('month', ${at}, 'UTC')`,
    width: "1 month",
  },
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
   AND ${timeSql(of, width, "$5", "$6")}`;
}

/**
 * The whole buckets overlapping [from, to). Each bound is a scalar subquery so that Postgres computes it once
 * (an InitPlan): as a bare expression of the parameters, `date_trunc`/`date_bin` with a time zone is stable,
 * not immutable, and ran for every row scanned (a tenth of the 30-day read over every tenant).
 */
function timeSql(
  of: (at: string) => string,
  width: string,
  from: string,
  to: string,
  column = '"bucketStart"',
) {
  return `${column} >= (SELECT ${of(`${from}::timestamptz`)})
   AND ${column} < (SELECT ${of(`${to}::timestamptz - interval '1 microsecond'`)} + interval '${width}')`;
}

/**
 * A gauge's level in a bucket: Σ integral ÷ the seconds the bucket has had by `now` (all of them once it
 * has ended). Its end is taken in UTC whatever the session's time zone, since a month's length depends on it.
 */
function levelSql(integral: string, bucket: string, width: string, now: string): string {
  const end = `((${bucket} AT TIME ZONE 'UTC') + interval '${width}') AT TIME ZONE 'UTC'`;
  return `${integral} / extract(epoch FROM CASE WHEN ${now} > ${bucket} THEN least(${end}, ${now}) ELSE ${end} END - ${bucket})`;
}

/**
 * One row per series and bucket. Buckets wider than the stored rollups fold them: sums
 * add, `last` is the last value by time. Hours and days read as stored (the GROUP BY is then a no-op).
 */
function seriesSql(bucket: UsageBucket): string {
  const { series, of, width } = buckets[bucket];
  return `
SELECT "tenantId", "environmentId", meter, "dimensionKey", (array_agg(dimensions))[1] AS dimensions,
       ${of('"bucketStart"')} AS bucket,
       sum(sum) AS sum, sum(count) AS count, min(min) AS min, max(max) AS max,
       (array_agg(last ORDER BY "lastAt" DESC))[1] AS last, max("lastAt") AS "lastAt",
       sum(integral) AS integral, sum(seconds) AS seconds
  FROM ${series(filterSql(of, width))}
 GROUP BY "tenantId", "environmentId", meter, "dimensionKey", bucket`;
}

const gauges = meterNames.filter((m) => meters[m].kind === "gauge");

/** Placeholders for the values a statement reads, numbered in the order they are first used. */
function parameters() {
  const values: unknown[] = [];
  return { values, add: (value: unknown) => `$${values.push(value)}` };
}

/**
 * Grouped (meter, group, bucket, sum, integral) rows folded into the `top` groups of each meter and "other":
 * groups are ranked per meter by what the chart shows of them over the range (gauges' integral, counters'
 * sum), largest first, "other" last.
 */
function rankedSql(grouped: string, query: GroupQuery, add: (value: unknown) => string): string {
  const { width } = buckets[query.bucket];
  const top = `${add(query.top)}::int`;
  return `
WITH grouped AS (${grouped}),
ranked AS (
  SELECT meter, "group",
         row_number() OVER (PARTITION BY meter
                            ORDER BY sum(CASE WHEN meter = ANY(${add(gauges)}) THEN integral ELSE sum END) DESC,
                                     "group") AS place
    FROM grouped GROUP BY meter, "group")
SELECT g.meter, CASE WHEN r.place <= ${top} THEN g."group" END AS "group", ${iso("g.bucket")} AS "bucketStart",
       sum(g.sum)::text AS sum, (${levelSql("sum(g.integral)", "g.bucket", width, `${add(query.now ?? new Date())}::timestamptz`)})::text AS level,
       min(r.place)::int AS place
  FROM grouped g JOIN ranked r USING (meter, "group")
 GROUP BY g.meter, 2, g.bucket`;
}

/** Grouped over the series' rollups: one tenant's, one environment's, or every tenant's filtered by dimensions. */
function seriesGroupSql(query: GroupQuery) {
  const { series, of, width } = buckets[query.bucket];
  const { values, add } = parameters();
  for (const value of filterValues(query)) add(value);
  const grouped = `
  SELECT meter, ${groupKeys[query.by]} AS "group", ${of('"bucketStart"')} AS bucket, sum(sum) AS sum,
         sum(integral) AS integral
    FROM ${series(filterSql(of, width))}
   GROUP BY 1, 2, 3`;
  return { sql: rankedSql(grouped, query, add), values };
}

/** By meter or dimension over every tenant: the fleet rollups, a few rows per bucket. */
function fleetGroupSql(query: GroupQuery) {
  const { fleet, of, width } = buckets[query.bucket];
  const { values, add } = parameters();
  const meter = add(query.meter ?? null);
  const grouped = `
  SELECT meter, ${groupKeys[query.by]} AS "group", ${of('"bucketStart"')} AS bucket, sum(sum) AS sum,
         sum(integral) AS integral
    FROM "${fleet}"
   WHERE (${meter}::text IS NULL OR meter = ${meter})
     AND dimensions @> ${add(JSON.stringify(query.dimensions ?? {}))}::jsonb
     AND ${timeSql(of, width, add(query.from), add(query.to))}
   GROUP BY 1, 2, 3`;
  return { sql: rankedSql(grouped, query, add), values };
}

/**
 * By tenant or environment over every tenant. Groups are ranked by their totals in the months the range
 * overlaps (the environments' months, a row per environment and meter a month); only the top groups' rows
 * are read, by key (their environments' hours per meter, or their series' days); "other" is the fleet rollup
 * less them, so every figure stays exact without reading every series.
 */
function fleetTopSql(query: GroupQuery) {
  const { series: seriesRows, fleet, of, width } = buckets[query.bucket];
  const { values, add } = parameters();
  const meter = add(query.meter ?? null);
  const from = add(query.from);
  const to = add(query.to);
  const top = `${add(query.top)}::int`;
  const key = query.by === "tenant" ? `"tenantId"` : `"environmentId"`;
  // Hours of a month of 8 tenants are tens of thousands of series rows, each on its own heap page (rows are
  // written hour by hour); their environments' hours per meter are an index-only scan instead. Days are few.
  const byEnvironment =
    seriesRows === hours ? (where: string) => `${environmentHours(where)} AS "environmentHours"` : seriesRows;
  const months = (
    m: string,
  ) => `${m}"monthStart" >= (SELECT date_trunc('month', ${of(`${from}::timestamptz`)}, 'UTC'))
     AND ${m}"monthStart" < (SELECT ${of(`${to}::timestamptz - interval '1 microsecond'`)} + interval '${width}')
     AND (${meter}::text IS NULL OR ${m}meter = ${meter})`;
  // Groups stay uuids until they are printed, so the top tenants' environments are found by key.
  const environments =
    query.by === "environment"
      ? `SELECT "tenantId", "group" AS "environmentId", meter, "group", place FROM ranked WHERE place <= ${top}`
      : `SELECT DISTINCT m."tenantId", m."environmentId", m.meter, r."group", r.place
    FROM ranked r JOIN "UsageEnvironmentMonthly" m ON m."tenantId" = r."group" AND m.meter = r.meter
   WHERE r.place <= ${top} AND ${months("m.")}`;
  const sql = `
WITH totals AS MATERIALIZED (
  SELECT meter, "tenantId", ${key} AS "group", sum(CASE WHEN meter = ANY(${add(gauges)}) THEN integral ELSE sum END) AS total
    FROM "UsageEnvironmentMonthly" WHERE ${months("")} GROUP BY meter, "tenantId", ${key}),
-- Each meter's top groups and one more (which says there are others): a bounded top-N per meter rather than
-- a window over every group, which sorted all 8,000 (tenant, meter) totals.
ranked AS (
  SELECT t.meter, t."tenantId", t."group", row_number() OVER (PARTITION BY t.meter ORDER BY t.total DESC, t."group") AS place
    FROM (SELECT DISTINCT meter FROM totals) m
    CROSS JOIN LATERAL (SELECT * FROM totals WHERE meter = m.meter ORDER BY total DESC, "group" LIMIT ${top} + 1) t),
series AS (
  ${environments}),
tops AS (
  SELECT s.meter, s."group", s.place, u.bucket, sum(u.sum) AS sum, sum(u.integral) AS integral
    FROM series s CROSS JOIN LATERAL (
      SELECT ${of('"bucketStart"')} AS bucket, sum(sum) AS sum, sum(integral) AS integral
        FROM ${byEnvironment(`"tenantId" = s."tenantId" AND "environmentId" = s."environmentId" AND meter = s.meter
                              AND ${timeSql(of, width, from, to)}`)}
       GROUP BY 1) u
   GROUP BY 1, 2, 3, 4),
fleet AS (
  SELECT meter, ${of('"bucketStart"')} AS bucket, sum(sum) AS sum, sum(integral) AS integral
    FROM "${fleet}"
   WHERE (${meter}::text IS NULL OR meter = ${meter}) AND ${timeSql(of, width, from, to)}
   GROUP BY 1, 2),
rows AS (
  SELECT meter, "group", place, bucket, sum, integral FROM tops
  UNION ALL
  SELECT f.meter, NULL, ${top} + 1, f.bucket, f.sum - coalesce(t.sum, 0), f.integral - coalesce(t.integral, 0)
    FROM fleet f
    LEFT JOIN (SELECT meter, bucket, sum(sum) AS sum, sum(integral) AS integral FROM tops GROUP BY 1, 2) t
      USING (meter, bucket)
   -- Groups beyond the top, or not ranked at all: the months hold sealed hours only, so an environment
   -- whose first usage is in the open hours is not ranked yet, and counts as "other" until they are sealed.
   WHERE EXISTS (SELECT 1 FROM ranked r WHERE r.meter = f.meter AND r.place > ${top})
      OR f.sum <> coalesce(t.sum, 0) OR f.integral <> coalesce(t.integral, 0))
SELECT meter, "group"::text, ${iso("bucket")} AS "bucketStart", sum::text,
       (${levelSql("integral", "bucket", width, `${add(query.now ?? new Date())}::timestamptz`)})::text AS level,
       place::int
  FROM rows`;
  return { sql, values };
}

/**
 * Puts grouped rows in their order (meter, the group's place, bucket; "other" last), dropping the place.
 * Done here rather than by an ORDER BY: sorting the 8,640 rows of 30 days by tenant took Postgres 30–40 ms
 * of the read's ~210, this a few.
 */
function inPlaceOrder(rows: (UsageGroupRow & { place: number })[]): UsageGroupRow[] {
  rows.sort(
    (a, b) =>
      (a.meter < b.meter ? -1 : a.meter > b.meter ? 1 : 0) ||
      a.place - b.place ||
      (a.bucketStart < b.bucketStart ? -1 : a.bucketStart > b.bucketStart ? 1 : 0),
  );
  return rows.map(({ place: _, ...row }) => row);
}

/** Which rollups a grouped read takes: over every tenant the fleet's, unless it filters what they lack. */
function groupSql(query: GroupQuery) {
  const everyTenant = query.tenantId === null && !query.environmentId;
  if (!everyTenant) return seriesGroupSql(query);
  if (query.by === "meter" || query.by === "dimension") return fleetGroupSql(query);
  return Object.keys(query.dimensions ?? {}).length ? seriesGroupSql(query) : fleetTopSql(query);
}

function filterValues(query: SeriesQuery | GroupQuery): unknown[] {
  return [
    query.tenantId,
    query.environmentId ?? null,
    query.meter ?? null,
    JSON.stringify(query.dimensions ?? {}),
    query.from,
    query.to,
  ];
}

function isGroupQuery(query: SeriesQuery | GroupQuery): query is GroupQuery {
  return query.by !== undefined && query.by !== "series";
}

/**
 * The one reader of usage rollups, for the API, exports and every page: usage in the buckets that overlap
 * [from, to), oldest first, decimals as exact strings. By series it pages (keyset); grouped it folds series
 * into at most `top` groups per meter plus "other", so a chart over every tenant stays a few rows per bucket.
 */
export async function getUsage(query: SeriesQuery): Promise<UsageRow[]>;
export async function getUsage(query: GroupQuery): Promise<UsageGroupRow[]>;
export async function getUsage(query: SeriesQuery | GroupQuery): Promise<UsageRow[] | UsageGroupRow[]> {
  checkUsageRange(query.from, query.to, query.bucket);
  if (isGroupQuery(query)) {
    const { sql, values } = groupSql(query);
    const { rows } = await query.db.pool.query<UsageGroupRow & { place: number }>(sql, values);
    return inPlaceOrder(rows);
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
    [...filterValues(query), ...after, query.limit],
  );
  return rows;
}
