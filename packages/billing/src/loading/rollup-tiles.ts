import { type Database, dailyRollups } from "@meterplane/db";

/** A time window of one tenant's usage, `[from, to)`. */
export interface UsageWindow {
  tenantId: string;
  from: Date;
  to: Date;
}

/** A series rollup's columns, hourly or daily, of the row `t`. */
const tileColumns = (t: string) =>
  `${t}."tenantId", ${t}."environmentId", ${t}.meter, ${t}."dimensionKey", ${t}."bucketStart", ${t}.dimensions,
   ${t}.sum, ${t}.count, ${t}.min, ${t}.max, ${t}.last, ${t}."lastAt", ${t}.integral, ${t}.seconds`;

/**
 * The rollups covering a window with the fewest rows: daily rollups for the whole UTC days inside it (the
 * sealed hours' days with the open hours folded in, `dailyRollups`, read for every window's tenant at once,
 * so that the planner may join them to the windows as it joined the days) and hourly ones for the hours at
 * either edge. A bucket belongs to the window when it starts inside it, the rating
 * engine's rule, so the tiles hold exactly the usage the hourly rollups would.
 * Parameters: $1 tenant ids, $2 window starts, $3 window ends, $4 meters, $5 one environment or null.
 */
const tilesSql = `
  w AS (
    SELECT t.ord, t.tenant, t.ws, t.we,
           date_bin('1 day', t.ws - interval '1 millisecond', timestamptz '2000-01-01 00:00:00+00')
             + interval '1 day' AS ds,
           date_bin('1 day', t.we, timestamptz '2000-01-01 00:00:00+00') AS de
      FROM unnest($1::uuid[], $2::timestamptz[], $3::timestamptz[]) WITH ORDINALITY AS t(tenant, ws, we, ord)
  ),
  tiles AS (
    SELECT w.ord, 'day' AS granularity, d."bucketStart" + interval '1 day' AS "bucketEnd", ${tileColumns("d")}
      FROM w JOIN ${dailyRollups(`"tenantId" = ANY($1::uuid[]) AND meter = ANY($4::text[])
                                   AND ($5::uuid IS NULL OR "environmentId" = $5)
                                   AND "bucketStart" >= (SELECT min(ds) FROM w) AND "bucketStart" < (SELECT max(de) FROM w)`)} AS d
        ON d."tenantId" = w.tenant AND d."bucketStart" >= w.ds AND d."bucketStart" < w.de
    UNION ALL
    SELECT w.ord, 'hour', h."bucketStart" + interval '1 hour', ${tileColumns("h")}
      FROM w JOIN "UsageHourly" h ON h."tenantId" = w.tenant
       AND ((h."bucketStart" >= w.ws AND h."bucketStart" < LEAST(w.ds, w.we))
         OR (h."bucketStart" >= GREATEST(w.de, w.ds, w.ws) AND h."bucketStart" < w.we))
     WHERE h.meter = ANY($4::text[]) AND ($5::uuid IS NULL OR h."environmentId" = $5)
  )`;

/** One rollup as the rating engine reads it; `ord` is the 1-based index of its window. */
export interface TileRow {
  ord: string;
  environmentId: string;
  meter: string;
  dimensionKey: string;
  dimensions: Record<string, string>;
  granularity: "hour" | "day" | "span";
  bucketStart: Date;
  bucketEnd: Date;
  sum: string;
  max: string;
  last: string;
  lastAt: Date;
  integral: string;
  seconds: string;
  count: string;
}

interface TileQuery {
  db: Database;
  windows: UsageWindow[];
  meters: string[];
  environmentId?: string | null;
}

function params({ windows, meters, environmentId }: TileQuery) {
  return [
    windows.map((w) => w.tenantId),
    windows.map((w) => w.from),
    windows.map((w) => w.to),
    meters,
    environmentId ?? null,
  ];
}

/**
 * Each series' tiles merged into one `span` rollup: sums of `sum`, `integral`, `seconds` and `count`, and the `last`
 * with the latest `lastAt` (the larger on a tie, as the engine breaks it: arrays compare element by
 * element, so no sort is needed). Exact for every aggregation but
 * `max`, whose buckets matter; hundreds of hourly rows per series become one.
 */
export async function loadSpans(query: TileQuery): Promise<TileRow[]> {
  if (query.windows.length === 0 || query.meters.length === 0) return [];
  const { rows } = await query.db.pool.query<TileRow>(
    `WITH ${tilesSql}
     SELECT ord::text, "environmentId", meter, "dimensionKey", dimensions,
            'span' AS granularity, min("bucketStart") AS "bucketStart", max("bucketEnd") AS "bucketEnd",
            sum(sum)::text AS sum, max(max)::text AS max, sum(integral)::text AS integral,
            sum(seconds)::text AS seconds, sum(count)::text AS count, max("lastAt") AS "lastAt",
            (max(ARRAY[extract(epoch FROM "lastAt"), last]))[2]::text AS last
       FROM tiles GROUP BY ord, "environmentId", meter, "dimensionKey", dimensions`,
    params(query),
  );
  return rows;
}

/**
 * For a `max` metric, only the tiles of each window's peak bucket (Σ of its series' `max`, over the
 * series the filter keeps; the earliest bucket on a tie): the engine's `max` over them is the peak over all
 * buckets, and they are the work behind it. `filter` is the metric's, applied as the engine does.
 */
export async function loadPeakTiles(
  query: TileQuery & { filter: Record<string, string> },
): Promise<TileRow[]> {
  if (query.windows.length === 0 || query.meters.length === 0) return [];
  const { rows } = await query.db.pool.query<TileRow>(
    `WITH ${tilesSql},
     matching AS (SELECT * FROM tiles WHERE dimensions @> $6::jsonb),
     peaks AS (
       SELECT DISTINCT ON (ord) ord, "bucketStart"
         FROM (SELECT ord, "bucketStart", sum(max) AS total FROM matching GROUP BY ord, "bucketStart") AS b
        ORDER BY ord, total DESC, "bucketStart"
     )
     SELECT ord::text, "environmentId", meter, "dimensionKey", dimensions, granularity, "bucketStart",
            "bucketEnd", sum::text, max::text, last::text, "lastAt", integral::text, seconds::text,
            count::text
       FROM matching JOIN peaks USING (ord, "bucketStart")`,
    [...params(query), JSON.stringify(query.filter)],
  );
  return rows;
}
