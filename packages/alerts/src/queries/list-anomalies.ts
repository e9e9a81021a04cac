import type { AnomalyKind } from "@meterplane/anomaly";
import { AppError } from "@meterplane/core";
import type { Database } from "@meterplane/db";

export interface AnomalyFilter {
  tenantId?: string;
  environmentId?: string;
  hostId?: string;
  kind?: AnomalyKind;
  /** Only those not yet acknowledged. */
  open?: boolean;
}

function where(filter: AnomalyFilter) {
  return {
    ...(filter.tenantId ? { tenantId: filter.tenantId } : {}),
    ...(filter.environmentId ? { environmentId: filter.environmentId } : {}),
    ...(filter.kind ? { kind: filter.kind } : {}),
    ...(filter.open ? { acknowledgedAt: null } : {}),
  };
}

async function hostEnvironmentIds(db: Database, hostId: string) {
  const environments = await db.prisma.environment.findMany({ where: { hostId }, select: { id: true } });
  return environments.map((e) => e.id);
}

/** The newest anomalies matching the filter, newest first. */
export async function listAnomalies({
  db,
  filter,
  take = 100,
}: {
  db: Database;
  filter: AnomalyFilter;
  take?: number;
}) {
  const environmentIds = filter.hostId ? await hostEnvironmentIds(db, filter.hostId) : undefined;
  return db.prisma.anomaly.findMany({
    where: { ...where(filter), ...(environmentIds ? { environmentId: { in: environmentIds } } : {}) },
    orderBy: { detectedAt: "desc" },
    take,
  });
}

/** Anomalies not acknowledged yet: the number on a badge. */
export async function countOpenAnomalies({
  db,
  filter,
}: {
  db: Database;
  filter: Omit<AnomalyFilter, "open">;
}) {
  const environmentIds = filter.hostId ? await hostEnvironmentIds(db, filter.hostId) : undefined;
  return db.prisma.anomaly.count({
    where: {
      ...where({ ...filter, open: true }),
      ...(environmentIds ? { environmentId: { in: environmentIds } } : {}),
    },
  });
}

/** Marks an anomaly seen; a tenant (tenantId given) may acknowledge only its own. */
export async function acknowledgeAnomaly({
  db,
  anomalyId,
  userId,
  tenantId,
}: {
  db: Database;
  anomalyId: string;
  userId: string;
  tenantId?: string;
}) {
  const { count } = await db.prisma.anomaly.updateMany({
    where: { id: anomalyId, acknowledgedAt: null, ...(tenantId ? { tenantId } : {}) },
    data: { acknowledgedAt: new Date(), acknowledgedById: userId },
  });
  if (
    !count &&
    !(await db.prisma.anomaly.findFirst({ where: { id: anomalyId, ...(tenantId ? { tenantId } : {}) } }))
  )
    throw new AppError("NOT_FOUND", "no such anomaly");
}

/** Mutes (or unmutes) the anomaly's series: still scored, so its normal stays current, but it raises nothing. */
export async function muteSeriesOf({
  db,
  anomalyId,
  muted,
}: {
  db: Database;
  anomalyId: string;
  muted: boolean;
}) {
  const anomaly = await db.prisma.anomaly.findUnique({ where: { id: anomalyId } });
  if (!anomaly) throw new AppError("NOT_FOUND", "no such anomaly");
  await db.prisma.anomalySeries.updateMany({
    where: {
      tenantId: anomaly.tenantId,
      environmentId: anomaly.environmentId,
      meter: anomaly.meter,
      dimensionKey: anomaly.dimensionKey,
    },
    data: { mutedAt: muted ? new Date() : null },
  });
}

/**
 * The series around an anomaly, hour by hour (mean sample value), for its chart: a day before the window
 * to a few hours after it.
 */
export async function anomalySeriesPoints({ db, anomalyId }: { db: Database; anomalyId: string }) {
  const anomaly = await db.prisma.anomaly.findUnique({ where: { id: anomalyId } });
  if (!anomaly) throw new AppError("NOT_FOUND", "no such anomaly");
  const hour = 3_600_000;
  const { rows } = await db.pool.query<{ at: Date; value: number }>(
    `SELECT "bucketStart" AS at, (sum / count)::float8 AS value FROM "UsageHourly"
      WHERE "tenantId" = $1 AND "environmentId" = $2 AND meter = $3 AND "dimensionKey" = $4
        AND "bucketStart" >= $5 AND "bucketStart" < $6 AND count > 0 ORDER BY "bucketStart"`,
    [
      anomaly.tenantId,
      anomaly.environmentId,
      anomaly.meter,
      anomaly.dimensionKey,
      new Date(anomaly.windowStart.getTime() - 24 * hour),
      new Date(anomaly.windowEnd.getTime() + 6 * hour),
    ],
  );
  const series = await db.prisma.anomalySeries.findUnique({
    where: {
      tenantId_environmentId_meter_dimensionKey: {
        tenantId: anomaly.tenantId,
        environmentId: anomaly.environmentId,
        meter: anomaly.meter,
        dimensionKey: anomaly.dimensionKey,
      },
    },
    select: { mutedAt: true },
  });
  return { anomaly, points: rows, muted: Boolean(series?.mutedAt) };
}
