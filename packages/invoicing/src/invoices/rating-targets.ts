import {
  billingPeriodContaining,
  loadRatingInputs,
  type Period,
  type RatingTarget,
  ratePeriod,
} from "@meterplane/billing";
import type { AuditEntry, BillingInterval, Database } from "@meterplane/db";
import { type UpsertedDraft, upsertDrafts } from "./upsert-drafts.ts";

export interface SubscriptionTerms {
  tenantId: string;
  id: string;
  planVersionId: string;
  startAt: Date;
  endAt: Date | null;
  billingAnchor: Date;
  planVersion: { interval: BillingInterval };
}

/** The subscription's billing period containing `at`, or null when the subscription is not active in it. */
export function periodTarget(subscription: SubscriptionTerms, at: Date): RatingTarget | null {
  const period = billingPeriodContaining({
    anchor: subscription.billingAnchor,
    interval: subscription.planVersion.interval,
    at,
  });
  return activeIn(subscription, period)
    ? {
        tenantId: subscription.tenantId,
        subscriptionId: subscription.id,
        planVersionId: subscription.planVersionId,
        startAt: subscription.startAt,
        endAt: subscription.endAt,
        period,
      }
    : null;
}

/** The period before the one containing `at`: the one an invoice run closes. */
export function previousPeriodTarget(subscription: SubscriptionTerms, at: Date): RatingTarget | null {
  const current = billingPeriodContaining({
    anchor: subscription.billingAnchor,
    interval: subscription.planVersion.interval,
    at,
  });
  return periodTarget(subscription, new Date(current.start.getTime() - 1));
}

function activeIn({ startAt, endAt }: SubscriptionTerms, period: Period): boolean {
  return startAt < period.end && (endAt === null || endAt > period.start);
}

/** Rates periods and stores them as drafts: the one path of estimates, invoice runs and finalization. */
export async function rateAndStore({
  db,
  targets,
  actor,
  at,
}: {
  db: Database;
  targets: RatingTarget[];
  actor: AuditEntry["actor"];
  at?: Date;
}): Promise<UpsertedDraft[]> {
  const inputs = await loadRatingInputs({ db, targets });
  const rated = targets.map((target, i) => ({
    tenantId: target.tenantId,
    subscriptionId: target.subscriptionId,
    draft: ratePeriod(inputs[i]!),
  }));
  return upsertDrafts({ db, rated, actor, at });
}
