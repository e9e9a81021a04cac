import { AppError } from "@meterplane/core";
import { type Actor, type Database, recordAudit } from "@meterplane/db";

/**
 * Subscribes a tenant to a plan version from `startAt`. Periods start on the billing anchor's day-of-month
 * (monthly) or date (yearly) at its UTC time of day; the anchor defaults to the start. A first period that
 * starts before `startAt` has its flat fees and minimums prorated (see @meterplane/billing's README).
 */
export async function createSubscription({
  db,
  actor,
  tenantId,
  planVersionId,
  startAt,
  billingAnchor = startAt,
}: {
  db: Database;
  actor: Actor;
  tenantId: string;
  planVersionId: string;
  startAt: Date;
  billingAnchor?: Date;
}) {
  return db.prisma.$transaction(async (tx) => {
    const [tenant, version] = await Promise.all([
      tx.tenant.findUnique({ where: { id: tenantId } }),
      tx.planVersion.findUnique({ where: { id: planVersionId } }),
    ]);
    if (!tenant) throw new AppError("NOT_FOUND", `tenant ${tenantId} not found`);
    if (!version) throw new AppError("NOT_FOUND", `plan version ${planVersionId} not found`);
    const subscription = await tx.subscription.create({
      data: { tenantId, planVersionId, startAt, billingAnchor },
    });
    await recordAudit(tx, {
      actor,
      tenantId,
      action: "subscription.created",
      entity: "subscription",
      entityId: subscription.id,
      after: subscription,
    });
    return subscription;
  });
}
