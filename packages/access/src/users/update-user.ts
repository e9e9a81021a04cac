import { AppError } from "@meterplane/core";
import { type Actor, type Database, type OperatorRole, recordAudit } from "@meterplane/db";

/**
 * Changes a user's operator role or disables the account (ending its sessions). The last active owner can
 * be neither demoted nor disabled, so the platform is never left without someone who can manage people.
 */
export async function updateUser({
  db,
  actor,
  userId,
  changes,
}: {
  db: Database;
  actor: Actor;
  userId: string;
  changes: { name?: string; operatorRole?: OperatorRole | null; disabled?: boolean };
}) {
  return db.prisma.$transaction(async (tx) => {
    const before = await tx.user.findUnique({ where: { id: userId } });
    if (!before) throw new AppError("NOT_FOUND", "no such user");
    const losesOwner =
      before.operatorRole === "owner" &&
      ((changes.operatorRole !== undefined && changes.operatorRole !== "owner") || changes.disabled === true);
    if (losesOwner) {
      const owners = await tx.user.count({ where: { operatorRole: "owner", disabledAt: null } });
      if (owners <= 1)
        throw new AppError("CONFLICT", "this is the last owner; make someone else owner first");
    }
    const disabledAt =
      changes.disabled === undefined
        ? undefined
        : changes.disabled
          ? (before.disabledAt ?? new Date())
          : null;
    const after = await tx.user.update({
      where: { id: userId },
      data: { name: changes.name, operatorRole: changes.operatorRole, disabledAt },
    });
    if (disabledAt) await tx.session.deleteMany({ where: { userId } });
    const { passwordHash: _b, ...shownBefore } = before;
    const { passwordHash: _a, ...shownAfter } = after;
    await recordAudit(tx, {
      actor,
      action: "user.update",
      entity: "user",
      entityId: userId,
      before: shownBefore,
      after: shownAfter,
    });
    return after;
  });
}
