import type { Database } from "@meterplane/db";
import { ratePeriod } from "../invoices/rate-period.ts";
import { loadRatingInputs } from "../loading/load-rating-inputs.ts";

export interface EstimatedLine {
  metric: string;
  unit: string;
  quantity: string;
  unitPrice: string;
  amount: string;
}

/**
 * What a tenant's usage charges come to over [from, to), optionally for one environment, under its active
 * subscription's plan version: rated by the same loader and engine as invoices, so every charge model
 * counts and an estimate over a billing period equals that period's draft. Flat fees and minimums are left
 * out: they belong to whole periods, not to a window of usage.
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
    include: { planVersion: { include: { plan: true, charges: { include: { billableMetric: true } } } } },
  });
  if (!subscription) return null;
  const { planVersion } = subscription;
  const [input] = await loadRatingInputs({
    db,
    environmentId,
    targets: [
      {
        tenantId,
        subscriptionId: subscription.id,
        planVersionId: planVersion.id,
        startAt: subscription.startAt,
        endAt: subscription.endAt,
        period: { start: from, end: to },
      },
    ],
  });
  const usageOnly = {
    ...input!,
    charges: input!.charges.filter((c) => c.metric !== null),
    invoiceMinimum: null,
  };
  const draft = ratePeriod({
    ...usageOnly,
    charges: usageOnly.charges.map((c) => ({ ...c, minimumAmount: null })),
  });
  const chargeOf = new Map(planVersion.charges.map((c) => [c.id, c]));
  const lines: EstimatedLine[] = draft.lines.map((line) => ({
    metric:
      chargeOf.get(line.chargeId ?? "")?.name ??
      chargeOf.get(line.chargeId ?? "")?.billableMetric?.name ??
      "",
    unit: chargeOf.get(line.chargeId ?? "")?.billableMetric?.unit ?? "",
    quantity: line.quantity,
    unitPrice: line.unitPrice,
    amount: line.amount,
  }));
  return {
    plan: `${planVersion.plan.name} v${planVersion.version}`,
    currency: draft.currency,
    lines,
    total: draft.total,
  };
}
