import type { DraftInvoiceLine, Period } from "@meterplane/billing";
import type { Database } from "@meterplane/db";
import { periodTarget, rateTargets } from "../invoices/rating-targets.ts";

/** A subscription's current period rated as the invoice run would rate it now, without storing it. */
export interface PeriodEstimate {
  tenantId: string;
  subscriptionId: string;
  /** "Plan name vN". */
  plan: string;
  period: Period;
  currency: string;
  lines: DraftInvoiceLine[];
  total: string;
}

/**
 * How far back a subscription's end may lie and its current period still be open: a yearly period. Mirrors
 * the invoice run, which rates the current period of every subscription active in it.
 */
const longestPeriodMs = 366 * 86_400_000;

/**
 * The current period (the one containing `at`) of every subscription active in it, optionally of one
 * tenant, rated from the rollups there are now by the invoice run's own loader and engine: flat fees,
 * minimums, proration and every charge model included. The figure is the draft the invoice run would write
 * at `at`; at the period's end, with no later usage, it is the invoice.
 */
export async function estimateCurrentPeriods({
  db,
  at,
  tenantId,
}: {
  db: Database;
  at: Date;
  tenantId?: string;
}): Promise<PeriodEstimate[]> {
  const subscriptions = await db.prisma.subscription.findMany({
    where: {
      tenantId,
      startAt: { lte: at },
      OR: [{ endAt: null }, { endAt: { gt: new Date(at.getTime() - longestPeriodMs) } }],
    },
    include: { planVersion: { include: { plan: { select: { name: true } } } } },
    orderBy: [{ startAt: "asc" }, { id: "asc" }],
  });
  const open = subscriptions.flatMap((s) => {
    const target = periodTarget(s, at);
    return target ? [{ subscription: s, target }] : [];
  });
  const drafts = await rateTargets({ db, targets: open.map((o) => o.target) });
  return open.map(({ subscription, target }, i) => {
    const draft = drafts[i]!;
    return {
      tenantId: subscription.tenantId,
      subscriptionId: subscription.id,
      plan: `${subscription.planVersion.plan.name} v${subscription.planVersion.version}`,
      period: target.period,
      currency: draft.currency,
      lines: draft.lines,
      total: draft.total,
    };
  });
}
