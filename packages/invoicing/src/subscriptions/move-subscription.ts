import { AppError } from "@meterplane/core";
import { type Actor, type Database, recordAudit } from "@meterplane/db";
import { lockActiveSubscription } from "./lock-subscription.ts";

/**
 * Moves a subscription to another plan version (a newer version of its plan, or another plan). Periods
 * not yet finalized are rated under the new version from the next run on; final invoices keep theirs.
 */
export async function moveSubscription({
  db,
  actor,
  tenantId,
  subscriptionId,
  planVersionId,
}: {
  db: Database;
  actor: Actor;
  tenantId: string;
  subscriptionId: string;
  planVersionId: string;
}) {
  return db.prisma.$transaction(async (tx) => {
    const before = await lockActiveSubscription(tx, tenantId, subscriptionId);
    if (!(await tx.planVersion.findUnique({ where: { id: planVersionId } })))
      throw new AppError("NOT_FOUND", `plan version ${planVersionId} not found`);
    const moved = await tx.subscription.update({
      where: { tenantId_id: { tenantId, id: subscriptionId } },
      data: { planVersionId },
    });
    await recordAudit(tx, {
      actor,
      tenantId,
      action: "subscription.moved",
      entity: "subscription",
      entityId: subscriptionId,
      before: { planVersionId: before.planVersionId },
      after: { planVersionId },
    });
    return moved;
  });
}
