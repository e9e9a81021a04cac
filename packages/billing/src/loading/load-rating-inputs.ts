import type { Database, Prisma } from "@meterplane/db";
import type { RatePeriodInput } from "../invoices/rate-period-input.ts";
import { canonicalJson } from "../invoices/rating-hash.ts";
import type { Period } from "../periods/billing-period.ts";
import { coverage } from "../periods/proration.ts";
import { loadPeakTiles, loadSpans, type TileRow } from "./rollup-tiles.ts";

/** One billing period of one subscription to rate. */
export interface RatingTarget {
  tenantId: string;
  subscriptionId: string;
  planVersionId: string;
  startAt: Date;
  endAt: Date | null;
  period: Period;
}

type VersionWithCharges = Prisma.PlanVersionGetPayload<{
  include: { charges: { include: { billableMetric: true } } };
}>;

/**
 * The rating engine's input for many periods at once, in a fixed number of queries whatever their count:
 * the plan versions, then the rollups of every window in set-based statements: one of merged spans for all
 * metrics but `max`, and one per distinct `max` metric (meter and filter) for its peak bucket's tiles.
 * `environmentId` narrows the usage to one environment (estimates).
 */
export async function loadRatingInputs({
  db,
  targets,
  environmentId,
}: {
  db: Database;
  targets: RatingTarget[];
  environmentId?: string;
}): Promise<RatePeriodInput[]> {
  const versions = await db.prisma.planVersion.findMany({
    where: { id: { in: [...new Set(targets.map((t) => t.planVersionId))] } },
    include: { charges: { include: { billableMetric: true } } },
  });
  const byId = new Map(versions.map((v) => [v.id, v]));
  const metricAt = await metricVersions(
    db,
    versions.flatMap((v) => v.charges.flatMap((c) => c.billableMetric?.code ?? [])),
  );
  // Each target's charges with the metric versions in effect at its period's start.
  const chargesOf = targets.map((target) => {
    const version = byId.get(target.planVersionId);
    if (!version) throw new Error(`plan version ${target.planVersionId} vanished while rating`);
    return version.charges.map((charge) => ({
      ...charge,
      billableMetric: charge.billableMetric && metricAt(charge.billableMetric.code, target.period.start),
    }));
  });
  const metrics = chargesOf.flat().flatMap((c) => (c.billableMetric ? [c.billableMetric] : []));
  const spanMeters = [...new Set(metrics.filter((m) => m.aggregation !== "max").map((m) => m.meter))];
  const peakMetrics = new Map(
    metrics.filter((m) => m.aggregation === "max").map((m) => [peakKey(m), m] as const),
  );
  const windows = targets.map((t) => {
    const { covered } = coverage(t.period, { startAt: t.startAt, endAt: t.endAt });
    return { tenantId: t.tenantId, from: covered.start, to: covered.end };
  });
  const [spans, ...peaks] = await Promise.all([
    loadSpans({ db, windows, meters: spanMeters, environmentId }),
    ...[...peakMetrics.values()].map((m) =>
      loadPeakTiles({ db, windows, meters: [m.meter], environmentId, filter: filterOf(m) }),
    ),
  ]);
  const spansOf = groupByWindow(spans, (row) => row.meter);
  const peaksOf = new Map(
    [...peakMetrics.keys()].map((key, i) => [key, groupByWindow(peaks[i] ?? [], () => key)]),
  );
  return targets.map((target, index) => {
    const version = byId.get(target.planVersionId)!;
    const charges = chargesOf[index]!;
    const rollups: Record<string, ReturnType<typeof toRollup>[]> = {};
    for (const { billableMetric: m } of charges) {
      if (!m) continue;
      const rows =
        m.aggregation === "max"
          ? peaksOf.get(peakKey(m))?.get(`${index + 1}|${peakKey(m)}`)
          : spansOf.get(`${index + 1}|${m.meter}`);
      rollups[m.code] = (rows ?? []).map(toRollup);
    }
    return {
      currency: version.currency,
      period: target.period,
      subscription: { startAt: target.startAt, endAt: target.endAt },
      charges: charges.map(toCharge),
      rollups,
      invoiceMinimum: version.invoiceMinimum?.toFixed() ?? null,
    };
  });
}

/**
 * Every version of the metrics named, and a lookup of the one that rates a period starting at `at`: the
 * latest whose `effectiveFrom` is not after it, version 1 for anything earlier (it defines the metric from
 * the beginning, whenever it was created).
 */
async function metricVersions(db: Database, codes: string[]) {
  const all = await db.prisma.billableMetric.findMany({
    where: { code: { in: [...new Set(codes)] } },
    orderBy: { version: "desc" },
  });
  return (code: string, at: Date): Metric => {
    const versions = all.filter((m) => m.code === code);
    const found = versions.find((m) => m.version === 1 || m.effectiveFrom <= at);
    if (!found) throw new Error(`billable metric ${code} has no version 1`);
    return found;
  };
}

function toCharge(charge: VersionWithCharges["charges"][number]) {
  const m = charge.billableMetric;
  return {
    id: charge.id,
    name: charge.name ?? undefined,
    position: charge.position,
    model: charge.model,
    properties: charge.properties,
    freeUnits: charge.freeUnits.toFixed(),
    minimumAmount: charge.minimumAmount?.toFixed() ?? null,
    metric: m && {
      code: m.code,
      name: m.name,
      aggregation: m.aggregation,
      divisor: m.divisor.toFixed(),
      filter: filterOf(m),
      unit: m.unit,
      uniqueBy: m.uniqueBy ?? undefined,
    },
  };
}

function toRollup(row: TileRow) {
  const { environmentId, meter, dimensions, granularity, bucketStart, bucketEnd } = row;
  const { sum, max, last, lastAt, integral, seconds, count } = row;
  return {
    environmentId,
    meter,
    dimensions,
    granularity,
    bucketStart,
    bucketEnd,
    sum,
    max,
    last,
    lastAt,
    integral,
    seconds,
    count,
  };
}

type Metric = VersionWithCharges["charges"][number]["billableMetric"] & {};

function filterOf(metric: Metric): Record<string, string> {
  return metric.filter as Record<string, string>;
}

/** `max` metrics over the same meter and filter share their peak buckets. */
function peakKey(metric: Metric): string {
  return `${metric.meter}|${canonicalJson(filterOf(metric))}`;
}

function groupByWindow(rows: TileRow[], part: (row: TileRow) => string): Map<string, TileRow[]> {
  const groups = new Map<string, TileRow[]>();
  for (const row of rows) {
    const key = `${row.ord}|${part(row)}`;
    const list = groups.get(key);
    if (list) list.push(row);
    else groups.set(key, [row]);
  }
  return groups;
}
