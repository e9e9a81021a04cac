import type { Database } from "@meterplane/db";

export interface SeriesPoint {
  meter: string;
  bucketStart: string;
  sum: string;
  average: string;
  max: string;
}

/**
 * Usage per meter and bucket for the explorer's charts, summed over the chosen tenant/environment (or all).
 * Reads daily rollups for long ranges so a month across every tenant stays a small scan.
 */
export async function usageSeries({
  db,
  tenantId,
  environmentId,
  meter,
  from,
  to,
  granularity,
}: {
  db: Database;
  tenantId: string | null;
  environmentId: string | null;
  meter: string | null;
  from: Date;
  to: Date;
  granularity: "hour" | "day";
}): Promise<SeriesPoint[]> {
  const table = granularity === "hour" ? "UsageHourly" : "UsageDaily";
  const { rows } = await db.pool.query<SeriesPoint & { bucketStart: Date }>(
    `SELECT meter, "bucketStart", sum(sum)::text AS sum, max(max)::text AS max,
            (CASE WHEN sum(seconds) > 0 THEN sum(integral) / sum(seconds) * count(DISTINCT "environmentId") ELSE 0 END)::text AS average
       FROM "${table}"
      WHERE ($1::uuid IS NULL OR "tenantId" = $1) AND ($2::uuid IS NULL OR "environmentId" = $2)
        AND ($3::text IS NULL OR meter = $3) AND "bucketStart" >= $4 AND "bucketStart" < $5
      GROUP BY meter, "bucketStart" ORDER BY meter, "bucketStart"`,
    [tenantId, environmentId, meter, from, to],
  );
  return rows.map((r) => ({ ...r, bucketStart: r.bucketStart.toISOString() }));
}
