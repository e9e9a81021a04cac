import { AppError } from "@meterplane/core";
import type { Actor, Database } from "@meterplane/db";
import { periodTarget, rateAndStore } from "./rating-targets.ts";

/**
 * The live draft of a subscription's period containing `at`: rated from the rollups there are now and
 * stored. Rating unchanged usage again leaves the draft exactly as it was (same `ratingHash`, same rows);
 * an invoice already finalized for the period is never changed.
 */
export async function rateSubscriptionPeriod({
  db,
  tenantId,
  subscriptionId,
  actor,
  at = new Date(),
}: {
  db: Database;
  tenantId: string;
  subscriptionId: string;
  actor: Actor;
  at?: Date;
}) {
  const subscription = await db.prisma.subscription.findUnique({
    where: { tenantId_id: { tenantId, id: subscriptionId } },
    include: { planVersion: true },
  });
  if (!subscription) throw new AppError("NOT_FOUND", `subscription ${subscriptionId} not found`);
  const target = periodTarget(subscription, at);
  if (!target)
    throw new AppError(
      "SUBSCRIPTION_NOT_ACTIVE",
      `subscription ${subscriptionId} is not active at ${at.toISOString()}`,
    );
  const [written] = await rateAndStore({ db, targets: [target], actor, at });
  const invoice = await db.prisma.invoice.findUniqueOrThrow({
    where: {
      tenantId_subscriptionId_periodStart: { tenantId, subscriptionId, periodStart: target.period.start },
    },
    include: { lines: { orderBy: { position: "asc" } } },
  });
  return { invoice, changed: written !== undefined };
}
