import { AppError } from "@meterplane/core";
import { type Actor, type Database, recordAudit } from "@meterplane/db";
import { lockActiveSubscription } from "./lock-subscription.ts";

/**
 * Cancels a subscription: usage and fees stop at `endAt` (exclusive; default now). Its last period is
 * still invoiced by the run after it ends, with flat fees and minimums prorated to `endAt`.
 */
export async function cancelSubscription({
  db,
  actor,
  tenantId,
  subscriptionId,
  at = new Date(),
  endAt = at,
}: {
  db: Database;
  actor: Actor;
  tenantId: string;
  subscriptionId: string;
  at?: Date;
  endAt?: Date;
}) {
  return db.prisma.$transaction(async (tx) => {
    const before = await lockActiveSubscription(tx, tenantId, subscriptionId);
    if (endAt <= before.startAt)
      throw new AppError("VALIDATION_FAILED", "a subscription cannot end before it starts");
    const canceled = await tx.subscription.update({
      where: { tenantId_id: { tenantId, id: subscriptionId } },
      data: { status: "canceled", canceledAt: at, endAt },
    });
    await recordAudit(tx, {
      actor,
      tenantId,
      action: "subscription.canceled",
      entity: "subscription",
      entityId: subscriptionId,
      before,
      after: canceled,
    });
    return canceled;
  });
}
