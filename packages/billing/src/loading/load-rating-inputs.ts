import type { Database, Prisma } from "@meterplane/db";
import type { RatePeriodInput } from "../invoices/rate-period-input.ts";
import type { Period } from "../periods/billing-period.ts";
import { coverage } from "../periods/proration.ts";
import { loadSpans, loadTiles, type TileRow } from "./rollup-tiles.ts";

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
 * the plan versions, then the rollups of every window in two set-based statements (merged spans for most
 * metrics, per-bucket tiles for `max`). `environmentId` narrows the usage to one environment (estimates).
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
  const metrics = versions.flatMap((v) =>
    v.charges.flatMap((c) => (c.billableMetric ? [c.billableMetric] : [])),
  );
  const meters = (peak: boolean) => [
    ...new Set(metrics.filter((m) => (m.aggregation === "max") === peak).map((m) => m.meter)),
  ];
  const windows = targets.map((t) => {
    const { covered } = coverage(t.period, { startAt: t.startAt, endAt: t.endAt });
    return { tenantId: t.tenantId, from: covered.start, to: covered.end };
  });
  const [spans, tiles] = await Promise.all([
    loadSpans({ db, windows, meters: meters(false), environmentId }),
    loadTiles({ db, windows, meters: meters(true), environmentId }),
  ]);
  const spansOf = groupByWindowAndMeter(spans);
  const tilesOf = groupByWindowAndMeter(tiles);
  return targets.map((target, index) => {
    const version = byId.get(target.planVersionId);
    if (!version) throw new Error(`plan version ${target.planVersionId} vanished while rating`);
    const rollups: Record<string, ReturnType<typeof toRollup>[]> = {};
    for (const { billableMetric: m } of version.charges) {
      if (!m) continue;
      const source = m.aggregation === "max" ? tilesOf : spansOf;
      rollups[m.code] = (source.get(`${index + 1}|${m.meter}`) ?? []).map(toRollup);
    }
    return {
      currency: version.currency,
      period: target.period,
      subscription: { startAt: target.startAt, endAt: target.endAt },
      charges: version.charges.map(toCharge),
      rollups,
      invoiceMinimum: version.invoiceMinimum?.toFixed() ?? null,
    };
  });
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
      filter: m.filter as Record<string, string>,
      unit: m.unit,
      uniqueBy: m.uniqueBy ?? undefined,
    },
  };
}

function toRollup(row: TileRow) {
  const { environmentId, meter, dimensions, granularity, bucketStart, bucketEnd } = row;
  const { sum, max, last, lastAt, integral, seconds } = row;
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
  };
}

function groupByWindowAndMeter(rows: TileRow[]): Map<string, TileRow[]> {
  const groups = new Map<string, TileRow[]>();
  for (const row of rows) {
    const key = `${row.ord}|${row.meter}`;
    const list = groups.get(key);
    if (list) list.push(row);
    else groups.set(key, [row]);
  }
  return groups;
}
