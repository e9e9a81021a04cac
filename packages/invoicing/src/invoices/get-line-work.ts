import {
  type Aggregation,
  billableQuantity,
  type RollupSource,
  rollupSourceSchema,
} from "@meterplane/billing";
import { AppError, Dec } from "@meterplane/core";
import type { Database } from "@meterplane/db";
import { dimensionKey, readStoredBatch, type Sample } from "@meterplane/wire";
import { z } from "zod";

const lineSources = z.array(rollupSourceSchema);

/** What each aggregation reads of a rollup: the figure shown beside each hour. */
const figureOf: Record<Aggregation, "sum" | "integral" | "max" | "last" | "count" | null> = {
  sum: "sum",
  time_weighted: "integral",
  max: "max",
  latest: "last",
  avg: "integral",
  unique: null,
  count: "count",
};

/** Raw samples shown per line at most; the rollups already account for all of them. */
const sampleLimit = 1000;

/**
 * The work behind one invoice line: the hourly rollups of every source it was rated from (a `span` or a
 * daily source opens into its hours; their sums are what the run read), each with its environment's name and
 * the figure its metric reads, the quantity they measure (less the free units, the line's quantity), and
 * the raw samples, as ingested, behind those rollups (`limit` 0 reads none).
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
  const sources = lineSources.parse(line.sources);
  const [rollups, charge, samples] = await Promise.all([
    hourlyRollups(db, tenantId, sources),
    line.chargeId
      ? db.prisma.charge.findUnique({
          where: { id: line.chargeId },
          select: { freeUnits: true, billableMetric: true },
        })
      : null,
    limit > 0 ? samplesBehind(db, tenantId, sources, limit + 1) : [],
  ]);
  const environments = await db.prisma.environment.findMany({
    where: { tenantId, id: { in: [...new Set(rollups.map((r) => r.environmentId))] } },
    select: { id: true, name: true },
  });
  const names = new Map(environments.map((e) => [e.id, e.name]));
  const metric = charge?.billableMetric ?? null;
  const figure = metric ? figureOf[metric.aggregation] : null;
  const definition = metric && {
    aggregation: metric.aggregation,
    divisor: metric.divisor.toString(),
    uniqueBy: metric.uniqueBy ?? undefined,
  };
  return {
    line,
    metric,
    /** The metric's own quantity over these rollups, before free units. */
    measured: definition ? billableQuantity(rollups, definition) : null,
    freeUnits: charge?.freeUnits ?? new Dec(0),
    rollups: rollups.map((r) => ({
      ...r,
      environmentName: names.get(r.environmentId) ?? r.environmentId,
      figure: figure ? r[figure] : null,
      // Sums and integrals add up hour by hour: each hour's share of the line, in the metric's unit.
      contribution:
        definition && (metric?.aggregation === "sum" || metric?.aggregation === "time_weighted")
          ? billableQuantity([r], definition)
          : null,
    })),
    samples: samples.slice(0, limit),
    truncated: samples.length > limit,
  };
}

export type LineWork = Awaited<ReturnType<typeof getLineWork>>;

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

/** A raw sample as the collector sent it, with the batch that carried it. */
type SampleBehind = Sample & { batchId: string; receivedAt: Date };

/** Stored batches read per query: a page of bodies, not the whole period, is in memory at once. */
const batchPage = 200;

async function samplesBehind(
  db: Database,
  tenantId: string,
  sources: RollupSource[],
  limit: number,
): Promise<SampleBehind[]> {
  if (sources.length === 0) return [];
  const windows = sourceWindows(sources);
  // A sample is received after it starts, so the partitions before the first bucket are never read.
  const from = new Date(Math.min(...sources.map((s) => Date.parse(s.bucketStart))));
  // A late batch can carry samples older than those already seen, so every batch is read; only the first
  // `limit` samples in (start, batch) order are kept, trimmed whenever twice that many have gathered.
  let kept: SampleBehind[] = [];
  // Keyset pages in primary-key order (id, receivedAt), so each page is a range scan of the key's index;
  // batch ids start at 1.
  let after = { id: "0", receivedAt: from };
  for (;;) {
    const { rows } = await db.pool.query<{ id: string; receivedAt: Date; body: Buffer }>(
      `SELECT id, "receivedAt", body FROM "SampleBatch"
        WHERE "receivedAt" >= $2 AND (id, "receivedAt") > ($3, $4)
          AND "aggregatedAt" IS NOT NULL AND $1 = ANY("tenantIds")
        ORDER BY id, "receivedAt" LIMIT $5`,
      [tenantId, from, after.id, after.receivedAt, batchPage],
    );
    for (const { id: batchId, receivedAt, body } of rows) {
      for (const sample of readStoredBatch(body).samples) {
        // The sources are this tenant's own series, so matching them keeps other tenants' samples out.
        if (!windows.environments.has(sample.environmentId)) continue;
        const series = windows.bySeries.get(
          seriesKey(sample.environmentId, sample.meter, dimensionKey(sample.dimensions)),
        );
        if (series && covers(series, Date.parse(sample.start))) kept.push({ ...sample, batchId, receivedAt });
      }
      if (kept.length >= 2 * limit) kept = kept.sort(bySampleOrder).slice(0, limit);
    }
    const last = rows.at(-1);
    if (!last || rows.length < batchPage) break;
    after = { id: last.id, receivedAt: last.receivedAt };
  }
  return kept.sort(bySampleOrder).slice(0, limit);
}

const seriesKey = (environmentId: string, meter: string, dimensionKey: string) =>
  `${environmentId} ${meter} ${dimensionKey}`;

/**
 * The time the sources cover, per series, as sorted disjoint [start, end) windows in epoch milliseconds:
 * a month-long line has hundreds of hourly sources per series, and each sample is looked up among them.
 */
function sourceWindows(sources: RollupSource[]) {
  const bySeries = new Map<string, [number, number][]>();
  for (const s of sources) {
    const key = seriesKey(s.environmentId, s.meter, s.dimensionKey);
    const windows = bySeries.get(key) ?? [];
    windows.push([Date.parse(s.bucketStart), Date.parse(s.bucketEnd)]);
    bySeries.set(key, windows);
  }
  for (const [key, windows] of bySeries) {
    const merged: [number, number][] = [];
    for (const [start, end] of windows.sort((a, b) => a[0] - b[0])) {
      const previous = merged.at(-1);
      if (previous && start <= previous[1]) previous[1] = Math.max(previous[1], end);
      else merged.push([start, end]);
    }
    bySeries.set(key, merged);
  }
  return { environments: new Set(sources.map((s) => s.environmentId)), bySeries };
}

/** Whether `at` falls in one of the sorted disjoint windows (binary search for the last one starting by `at`). */
function covers(windows: [number, number][], at: number): boolean {
  let low = 0;
  let high = windows.length;
  while (low < high) {
    const middle = (low + high) >>> 1;
    if (windows[middle]![0] <= at) low = middle + 1;
    else high = middle;
  }
  const window = windows[low - 1];
  return window !== undefined && at < window[1];
}

/** By start, then by batch (ids compared as numbers); samples of one batch keep the order it sent them in. */
function bySampleOrder(a: SampleBehind, b: SampleBehind): number {
  if (a.start !== b.start) return a.start < b.start ? -1 : 1;
  const id = BigInt(a.batchId) - BigInt(b.batchId);
  return id === 0n ? 0 : id < 0n ? -1 : 1;
}
