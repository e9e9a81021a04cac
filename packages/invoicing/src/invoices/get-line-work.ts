import type { RollupSource } from "@meterplane/billing";
import { dimensionKey } from "@meterplane/billing";
import { AppError } from "@meterplane/core";
import type { Database } from "@meterplane/db";
import { loadTiles, type TileRow } from "./rollup-tiles.ts";

/** Raw samples shown per line at most; the rollups already account for all of them. */
const sampleLimit = 1000;

/**
 * The work behind one invoice line: the rollups it was rated from (a `span` source opens into the daily
 * and hourly rollups it merged) and the raw samples, as ingested, behind those rollups.
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
  const rollups: TileRow[] = [];
  for (const source of sources) {
    const tiles = await loadTiles({
      db,
      windows: [{ tenantId, from: new Date(source.bucketStart), to: new Date(source.bucketEnd) }],
      meters: [source.meter],
      environmentId: source.environmentId,
    });
    rollups.push(...tiles.filter((t) => t.dimensionKey === source.dimensionKey));
  }
  const samples = await samplesBehind(db, tenantId, sources, limit + 1);
  return { line, rollups, samples: samples.slice(0, limit), truncated: samples.length > limit };
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
       JOIN unnest($2::uuid[], $3::text[], $4::timestamptz[], $5::timestamptz[]) AS x(env, meter, ws, we)
         ON s.sample->>'environmentId' = x.env::text AND s.sample->>'meter' = x.meter
        AND (s.sample->>'start')::timestamptz >= x.ws AND (s.sample->>'start')::timestamptz < x.we
      WHERE b."receivedAt" >= $6 AND b."aggregatedAt" IS NOT NULL AND s.sample->>'tenantId' = $1
      ORDER BY s.sample->>'start', b.id
      LIMIT $7`,
    [
      tenantId,
      sources.map((s) => s.environmentId),
      sources.map((s) => s.meter),
      sources.map((s) => s.bucketStart),
      sources.map((s) => s.bucketEnd),
      from,
      limit,
    ],
  );
  const keys = new Set(sources.map((s) => `${s.environmentId}|${s.meter}|${s.dimensionKey}`));
  return rows
    .filter(({ sample }) =>
      keys.has(`${sample.environmentId}|${sample.meter}|${dimensionKey(sample.dimensions ?? {})}`),
    )
    .map(({ sample, batchId, receivedAt }) => ({ ...sample, batchId, receivedAt }));
}
