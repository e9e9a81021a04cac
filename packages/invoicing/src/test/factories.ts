import { randomBytes } from "node:crypto";
import { type Database, sealedBeforeSql, systemActor } from "@meterplane/db";
import { aMeteredTenant } from "@meterplane/testing";
import { createBillableMetric } from "../metrics/create-billable-metric.ts";
import { createPlan } from "../plans/create-plan.ts";
import type { PlanVersionInput } from "../plans/plan-version-input.ts";
import { createSubscription } from "../subscriptions/create-subscription.ts";

const unique = () => randomBytes(4).toString("hex");

/** The billable metrics of the worked examples, each under a code of its own (metric codes are global). */
export async function someMetrics(db: Database) {
  const id = unique();
  const metric = (fields: Omit<Parameters<typeof createBillableMetric>[0], "db" | "actor">) =>
    createBillableMetric({ db, actor: systemActor, ...fields, code: `${fields.code}_${id}` });
  // One after another: each is a transaction, and test files share the machine.
  const cpu = await metric({
    code: "cpu",
    name: "CPU core-hours",
    meter: "cpu",
    aggregation: "sum",
    unit: "core-hour",
    divisor: "3600",
  });
  const memory = await metric({
    code: "memory",
    name: "Memory GB-hours",
    meter: "memory",
    aggregation: "time_weighted",
    unit: "GB-hour",
    divisor: "3600000000000",
  });
  const users = await metric({
    code: "users",
    name: "Peak concurrent users",
    meter: "concurrent_users",
    aggregation: "max",
    unit: "user",
  });
  return { cpu, memory, users };
}

/** A metered tenant subscribed from `startAt` (anchored there unless told) to a new plan of `version`. */
export async function aSubscribedTenant(
  db: Database,
  { version, startAt, billingAnchor }: { version: PlanVersionInput; startAt: Date; billingAnchor?: Date },
) {
  const metered = await aMeteredTenant(db);
  const { plan, version: planVersion } = await createPlan({
    db,
    actor: systemActor,
    code: `plan-${unique()}`,
    name: "Metered",
    version,
  });
  const subscription = await createSubscription({
    db,
    actor: systemActor,
    tenantId: metered.tenant.id,
    planVersionId: planVersion.id,
    startAt,
    billingAnchor,
  });
  return { ...metered, plan, planVersion, subscription };
}

export interface RollupFigures {
  meter: string;
  bucketStart: Date;
  sum?: string;
  max?: string;
  last?: string;
  integral?: string;
  seconds?: string;
  dimensions?: Record<string, string>;
}

/**
 * Hourly rollups as the aggregator would write them, and the daily rollups they add up to (recomputed for
 * the tenant), so tests state usage by the hour and the invoice run reads whichever it prefers.
 */
export async function someUsage(
  db: Database,
  tenantId: string,
  environmentId: string,
  rollups: RollupFigures[],
) {
  for (const r of rollups) {
    const dimensions = r.dimensions ?? {};
    const key = Object.keys(dimensions)
      .sort()
      .map((k) => `${k}=${dimensions[k]}`)
      .join(",");
    await db.pool.query(
      `INSERT INTO "UsageHourly" ("tenantId", "environmentId", meter, "dimensionKey", "bucketStart", dimensions,
                                  sum, count, min, max, last, "lastAt", integral, seconds)
       VALUES ($1, $2, $3, $4, $5, $6, $7, 1, 0, $8, $9, $5::timestamptz + interval '59 minutes', $10, $11)`,
      [
        tenantId,
        environmentId,
        r.meter,
        key,
        r.bucketStart,
        dimensions,
        r.sum ?? "0",
        r.max ?? "0",
        r.last ?? "0",
        r.integral ?? "0",
        r.seconds ?? "3600",
      ],
    );
  }
  await db.pool.query(`DELETE FROM "UsageDaily" WHERE "tenantId" = $1`, [tenantId]);
  await db.pool.query(
    `INSERT INTO "UsageDaily" ("tenantId", "environmentId", meter, "dimensionKey", "bucketStart", dimensions,
                               sum, count, min, max, last, "lastAt", integral, seconds)
     SELECT "tenantId", "environmentId", meter, "dimensionKey", date_trunc('day', "bucketStart", 'UTC'),
            (array_agg(dimensions))[1], sum(sum), sum(count), min(min), max(max),
            (array_agg(last ORDER BY "lastAt" DESC))[1], max("lastAt"), sum(integral), sum(seconds)
       FROM "UsageHourly" WHERE "tenantId" = $1 AND "bucketStart" < ${sealedBeforeSql} GROUP BY 1, 2, 3, 4, 5`,
    [tenantId],
  );
}

export const utc = (iso: string) => new Date(`${iso}Z`);
