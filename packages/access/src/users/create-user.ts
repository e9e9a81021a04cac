import { AppError } from "@meterplane/core";
import { type Actor, type Database, type OperatorRole, recordAudit } from "@meterplane/db";
import { hashPassword } from "./password.ts";

export interface CreateUserOptions {
  db: Database;
  actor: Actor;
  email: string;
  name: string;
  password: string;
  operatorRole?: OperatorRole | null;
  tenantId?: string | null;
}

/** An operator (with a role) or a tenant user (with a membership). Passwords are at least 10 characters. */
export async function createUser({
  db,
  actor,
  email,
  name,
  password,
  operatorRole = null,
  tenantId = null,
}: CreateUserOptions) {
  if (password.length < 10)
    throw new AppError("VALIDATION_FAILED", "the password needs at least 10 characters");
  const passwordHash = await hashPassword(password);
  const normalized = email.trim().toLowerCase();
  return db.prisma.$transaction(async (tx) => {
    if (await tx.user.findUnique({ where: { email: normalized } }))
      throw new AppError("CONFLICT", `a user with email ${normalized} exists`);
    const user = await tx.user.create({ data: { email: normalized, name, passwordHash, operatorRole } });
    if (tenantId) await tx.tenantMember.create({ data: { tenantId, userId: user.id } });
    await recordAudit(tx, {
      actor,
      tenantId,
      action: "user.create",
      entity: "user",
      entityId: user.id,
      after: { email: normalized, name, operatorRole, tenantId },
    });
    return user;
  });
}
