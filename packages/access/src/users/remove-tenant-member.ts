import { AppError } from "@meterplane/core";
import { type Actor, type Database, recordAudit } from "@meterplane/db";

/**
 * Takes a tenant user off a tenant: the membership goes, the account stays (it may belong to other tenants).
 * Sessions are looked up with their memberships on every request, so access to this tenant ends at once.
 */
export async function removeTenantMember({
  db,
  actor,
  tenantId,
  userId,
}: {
  db: Database;
  actor: Actor;
  tenantId: string;
  userId: string;
}) {
  return db.prisma.$transaction(async (tx) => {
    const membership = await tx.tenantMember.findUnique({
      where: { tenantId_userId: { tenantId, userId } },
      include: { user: { select: { email: true, name: true } } },
    });
    if (!membership) throw new AppError("NOT_FOUND", "this user is not a member of the tenant");
    await tx.tenantMember.delete({ where: { tenantId_userId: { tenantId, userId } } });
    await recordAudit(tx, {
      actor,
      tenantId,
      action: "tenant_member.remove",
      entity: "user",
      entityId: userId,
      before: { tenantId, userId, email: membership.user.email, name: membership.user.name },
    });
    return membership;
  });
}
