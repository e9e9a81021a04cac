import { Dec } from "@meterplane/core";
import type { Database } from "@meterplane/db";
import { perUnitProperties, ratePerUnit } from "../charge-models/per-unit.ts";
import { billableQuantity } from "../metrics/billable-quantity.ts";
import { roundMoney } from "../money/currency.ts";

export interface EstimatedLine {
  metric: string;
  unit: string;
  quantity: string;
  unitPrice: string;
  amount: string;
}

/**
 * What a tenant's per-unit usage charges come to over [from, to), optionally for one environment, under
 * the plan version of its active subscription. A preview for the portal: invoices come from the rating run.
 */
export async function estimateUsageCharges({
  db,
  tenantId,
  environmentId,
  from,
  to,
}: {
  db: Database;
  tenantId: string;
  environmentId?: string;
  from: Date;
  to: Date;
}) {
  const subscription = await db.prisma.subscription.findFirst({
    where: { tenantId, status: "active", startAt: { lt: to } },
    orderBy: { startAt: "desc" },
    include: {
      planVersion: {
        include: { plan: true, charges: { include: { billableMetric: true }, orderBy: { position: "asc" } } },
      },
    },
  });
  if (!subscription) return null;
  const { planVersion } = subscription;
  const lines: EstimatedLine[] = [];
  let total = new Dec(0);
  for (const charge of planVersion.charges) {
    const metric = charge.billableMetric;
    if (charge.model !== "per_unit" || !metric) continue;
    const rollups = await db.prisma.usageHourly.findMany({
      where: {
        tenantId,
        meter: metric.meter,
        bucketStart: { gte: from, lt: to },
        ...(environmentId ? { environmentId } : {}),
      },
    });
    const figures = rollups.map((r) => ({
      sum: r.sum.toString(),
      max: r.max.toString(),
      last: r.last.toString(),
      lastAt: r.lastAt,
      integral: r.integral.toString(),
      seconds: r.seconds.toString(),
    }));
    const quantity = billableQuantity(
      figures,
      metric.aggregation === "unique" ? "sum" : metric.aggregation,
      metric.divisor.toString(),
    );
    const { amount, unitPrice } = ratePerUnit(quantity, perUnitProperties.parse(charge.properties));
    const rounded = roundMoney(amount, planVersion.currency);
    total = total.plus(rounded);
    lines.push({
      metric: metric.name,
      unit: metric.unit,
      quantity: quantity.toFixed(6),
      unitPrice: unitPrice.toString(),
      amount: rounded.toFixed(),
    });
  }
  return {
    plan: `${planVersion.plan.name} v${planVersion.version}`,
    currency: planVersion.currency,
    lines,
    total: total.toFixed(),
  };
}
