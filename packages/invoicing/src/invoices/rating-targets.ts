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
  const period = periodContaining(subscription, at);
  return activeIn(subscription, period) ? targetOf(subscription, period) : null;
}

/**
 * The subscription's periods that ended after `since` and by `at`, oldest first: those an invoice run
 * closes. None before the subscription started, none after it ended.
 */
export function endedPeriodTargets(subscription: SubscriptionTerms, since: Date, at: Date): RatingTarget[] {
  const targets: RatingTarget[] = [];
  let period = periodContaining(subscription, subscription.startAt > since ? subscription.startAt : since);
  while (period.end <= at && activeIn(subscription, period)) {
    targets.push(targetOf(subscription, period));
    period = periodContaining(subscription, period.end);
  }
  return targets;
}

function periodContaining(subscription: SubscriptionTerms, at: Date): Period {
  return billingPeriodContaining({
    anchor: subscription.billingAnchor,
    interval: subscription.planVersion.interval,
    at,
  });
}

function targetOf(subscription: SubscriptionTerms, period: Period): RatingTarget {
  return {
    tenantId: subscription.tenantId,
    subscriptionId: subscription.id,
    planVersionId: subscription.planVersionId,
    startAt: subscription.startAt,
    endAt: subscription.endAt,
    period,
  };
}

function activeIn({ startAt, endAt }: SubscriptionTerms, period: Period): boolean {
  return startAt < period.end && (endAt === null || endAt > period.start);
}

/** Rates periods and stores them as drafts: the one path of invoice runs and finalization. */
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
  const drafts = await rateTargets({ db, targets });
  const rated = targets.map((target, i) => ({
    tenantId: target.tenantId,
    subscriptionId: target.subscriptionId,
    draft: drafts[i]!,
  }));
  return upsertDrafts({ db, rated, actor, at });
}

/** Rates periods without storing them: what `rateAndStore` would write, for estimates. */
export async function rateTargets({ db, targets }: { db: Database; targets: RatingTarget[] }) {
  const inputs = await loadRatingInputs({ db, targets });
  return inputs.map((input) => ratePeriod(input));
}
