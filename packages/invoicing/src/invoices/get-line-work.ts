import type { RollupSource } from "@meterplane/billing";
import { AppError } from "@meterplane/core";
import type { Database } from "@meterplane/db";

/** Raw samples shown per line at most; the rollups already account for all of them. */
const sampleLimit = 1000;

/**
 * The work behind one invoice line: the hourly rollups of every source it was rated from (a `span` or a
 * daily source opens into its hours; their sums are what the run read) and the raw samples, as ingested,
 * behind those rollups.
 */
export async function getLineWork({
  db,
  tenantId,
  lineId,
  limit = sampleLimit,
}: {
  db: Database;
  tenantId: string;
  lineId: string;
  limit?: number;
}) {
  const line = await db.prisma.invoiceLine.findUnique({ where: { tenantId_id: { tenantId, id: lineId } } });
  if (!line) throw new AppError("NOT_FOUND", `invoice line ${lineId} not found`);
  const sources = line.sources as unknown as RollupSource[];
  const rollups = await hourlyRollups(db, tenantId, sources);
  const samples = await samplesBehind(db, tenantId, sources, limit + 1);
  return { line, rollups, samples: samples.slice(0, limit), truncated: samples.length > limit };
}

const bySource = `unnest($2::uuid[], $3::text[], $4::text[], $5::timestamptz[], $6::timestamptz[])
  AS x(env, meter, "dimensionKey", ws, we)`;

function sourceParams(sources: RollupSource[]) {
  return [
    sources.map((s) => s.environmentId),
    sources.map((s) => s.meter),
    sources.map((s) => s.dimensionKey),
    sources.map((s) => s.bucketStart),
    sources.map((s) => s.bucketEnd),
  ];
}

async function hourlyRollups(db: Database, tenantId: string, sources: RollupSource[]) {
  const { rows } = await db.pool.query<{
    environmentId: string;
    meter: string;
    dimensions: Record<string, string>;
    bucketStart: Date;
    sum: string;
    count: string;
    min: string;
    max: string;
    last: string;
    lastAt: Date;
    integral: string;
    seconds: string;
  }>(
    `SELECT h."environmentId", h.meter, h.dimensions, h."bucketStart", h.sum::text, h.count::text, h.min::text,
            h.max::text, h.last::text, h."lastAt", h.integral::text, h.seconds::text
       FROM "UsageHourly" h JOIN ${bySource}
         ON h."environmentId" = x.env AND h.meter = x.meter AND h."dimensionKey" = x."dimensionKey"
        AND h."bucketStart" >= x.ws AND h."bucketStart" < x.we
      WHERE h."tenantId" = $1
      ORDER BY h."bucketStart", h."environmentId", h.meter, h."dimensionKey"`,
    [tenantId, ...sourceParams(sources)],
  );
  return rows;
}

interface RawSample {
  environmentId: string;
  meter: string;
  start: string;
  seconds: number;
  value: string;
  dimensions?: Record<string, string>;
}

async function samplesBehind(db: Database, tenantId: string, sources: RollupSource[], limit: number) {
  if (sources.length === 0) return [];
  // A sample is received after it starts, so the partitions before the first bucket are never read.
  const from = new Date(Math.min(...sources.map((s) => Date.parse(s.bucketStart))));
  const { rows } = await db.pool.query<{ sample: RawSample; batchId: string; receivedAt: Date }>(
    `SELECT s.sample, b.id::text AS "batchId", b."receivedAt"
       FROM "SampleBatch" b CROSS JOIN LATERAL jsonb_array_elements(b.samples) AS s(sample)
       JOIN ${bySource}
         ON s.sample->>'environmentId' = x.env::text AND s.sample->>'meter' = x.meter
        AND (s.sample->>'start')::timestamptz >= x.ws AND (s.sample->>'start')::timestamptz < x.we
        AND x."dimensionKey" = coalesce((SELECT string_agg(k || '=' || v, ',' ORDER BY k COLLATE "C")
                                          FROM jsonb_each_text(s.sample->'dimensions') AS d(k, v)), '')
      WHERE b."receivedAt" >= $7 AND b."aggregatedAt" IS NOT NULL AND s.sample->>'tenantId' = $1
      ORDER BY s.sample->>'start', b.id
      LIMIT $8`,
    [tenantId, ...sourceParams(sources), from, limit],
  );
  return rows.map(({ sample, batchId, receivedAt }) => ({ ...sample, batchId, receivedAt }));
}
