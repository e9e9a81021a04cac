import { AppError } from "@meterplane/core";
import type { Prisma } from "@meterplane/db";

/** An active subscription, row-locked until the transaction ends. */
export async function lockActiveSubscription(
  tx: Prisma.TransactionClient,
  tenantId: string,
  subscriptionId: string,
) {
  const locked = await tx.$queryRaw<unknown[]>`
    SELECT 1 FROM "Subscription" WHERE "tenantId" = ${tenantId}::uuid AND id = ${subscriptionId}::uuid FOR UPDATE`;
  if (locked.length === 0) throw new AppError("NOT_FOUND", `subscription ${subscriptionId} not found`);
  const subscription = await tx.subscription.findUniqueOrThrow({
    where: { tenantId_id: { tenantId, id: subscriptionId } },
  });
  if (subscription.status !== "active")
    throw new AppError("SUBSCRIPTION_NOT_ACTIVE", `subscription ${subscriptionId} is ${subscription.status}`);
  return subscription;
}
