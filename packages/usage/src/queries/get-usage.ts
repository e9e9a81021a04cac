import type { Database } from "@meterplane/db";

export type Granularity = "hour" | "day";

export interface UsageQuery {
  db: Database;
  /** Null only for operators, who see every tenant. */
  tenantId: string | null;
  environmentId?: string;
  meter?: string;
  from: Date;
  to: Date;
  granularity: Granularity;
}

export interface UsageRow {
  tenantId: string;
  environmentId: string;
  meter: string;
  dimensions: Record<string, string>;
  bucketStart: string;
  sum: string;
  count: string;
  min: string;
  max: string;
  last: string;
  integral: string;
  seconds: string;
}

/** Rollups in [from, to), oldest first; decimals as exact strings. */
export async function getUsage({
  db,
  tenantId,
  environmentId,
  meter,
  from,
  to,
  granularity,
}: UsageQuery): Promise<UsageRow[]> {
  const table = granularity === "hour" ? "UsageHourly" : "UsageDaily";
  const { rows } = await db.pool.query<UsageRow & { bucketStart: Date }>(
    `SELECT "tenantId", "environmentId", meter, dimensions, "bucketStart",
            sum::text, count::text, min::text, max::text, last::text, integral::text, seconds::text
       FROM "${table}"
      WHERE ($1::uuid IS NULL OR "tenantId" = $1) AND ($2::uuid IS NULL OR "environmentId" = $2)
        AND ($3::text IS NULL OR meter = $3) AND "bucketStart" >= $4 AND "bucketStart" < $5
      ORDER BY "bucketStart", "environmentId", meter, "dimensionKey"`,
    [tenantId, environmentId ?? null, meter ?? null, from, to],
  );
  return rows.map((row) => ({ ...row, bucketStart: row.bucketStart.toISOString() }));
}
