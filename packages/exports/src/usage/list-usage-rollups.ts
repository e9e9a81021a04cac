import type { Database } from "@meterplane/db";
import { decodeCursor, type Page, toPage } from "../cursors/page-cursor.ts";
import { isoInstant } from "../sql/iso-instant.ts";

export const rollupGranularities = ["hour", "day", "month"] as const;
export type RollupGranularity = (typeof rollupGranularities)[number];

export interface UsageRollup {
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

export interface UsageRollupQuery {
  db: Database;
  /** Null only for an operator-wide key: every tenant. */
  tenantId: string | null;
  granularity: RollupGranularity;
  from: Date;
  to: Date;
  environmentId?: string;
  meter?: string;
  /** Only rollups whose dimensions include all of these pairs. */
  dimensions?: Record<string, string>;
  limit: number;
  cursor?: string;
}

// Months are folded from the daily rollups; hours and days are read as stored (the GROUP BY is then a
// no-op), so one statement serves every granularity. `last` is the last value by time.
function rollupSql(granularity: RollupGranularity): string {
  const table = granularity === "hour" ? '"UsageHourly"' : '"UsageDaily"';
  return `
SELECT * FROM (
  SELECT "tenantId", "environmentId", meter, "dimensionKey", (array_agg(dimensions))[1] AS dimensions,
         date_trunc('${granularity}', "bucketStart", 'UTC') AS bucket,
         sum(sum)::text AS sum, sum(count)::text AS count, min(min)::text AS min, max(max)::text AS max,
         (array_agg(last ORDER BY "lastAt" DESC))[1]::text AS last, max("lastAt") AS "lastAt",
         sum(integral)::text AS integral, sum(seconds)::text AS seconds
    FROM ${table}
   WHERE ($1::uuid IS NULL OR "tenantId" = $1) AND ($2::uuid IS NULL OR "environmentId" = $2)
     AND ($3::text IS NULL OR meter = $3) AND dimensions @> $4::jsonb
     AND "bucketStart" >= date_trunc('${granularity}', $5::timestamptz, 'UTC')
     AND "bucketStart" < date_trunc('${granularity}', $6::timestamptz - interval '1 microsecond', 'UTC') + interval '1 ${granularity}'
   GROUP BY "tenantId", "environmentId", meter, "dimensionKey", bucket
) r
WHERE $7::timestamptz IS NULL OR (bucket, "environmentId", meter, "dimensionKey") > ($7, $8::uuid, $9, $10)
ORDER BY bucket, "environmentId", meter, "dimensionKey"
LIMIT $11`;
}

/**
 * Usage in the buckets of `granularity` that overlap [from, to) — whole buckets, so a range that starts
 * or ends inside a day (or month) includes that whole day (or month) — oldest first, decimals as exact
 * strings, a page at a time.
 */
export async function listUsageRollups(query: UsageRollupQuery): Promise<Page<UsageRollup>> {
  const after = decodeCursor(query.cursor, ["instant", "uuid", "text", "text"]);
  const { rows } = await query.db.pool.query<UsageRollup>(
    `SELECT "tenantId", "environmentId", meter, "dimensionKey", dimensions, ${isoInstant("bucket", "bucketStart")},
            sum, count, min, max, last, ${isoInstant('"lastAt"', "lastAt")}, integral, seconds
       FROM (${rollupSql(query.granularity)}) page
      ORDER BY bucket, "environmentId", meter, "dimensionKey"`,
    [
      query.tenantId,
      query.environmentId ?? null,
      query.meter ?? null,
      JSON.stringify(query.dimensions ?? {}),
      query.from,
      query.to,
      after?.[0] ?? null,
      after?.[1] ?? null,
      after?.[2] ?? null,
      after?.[3] ?? null,
      query.limit + 1,
    ],
  );
  return toPage(rows, query.limit, (row) => [
    row.bucketStart,
    row.environmentId,
    row.meter,
    row.dimensionKey,
  ]);
}
