import { createHash, randomBytes } from "node:crypto";
import { AppError } from "@meterplane/core";
import type { Database, OperatorRole } from "@meterplane/db";
import { verifyPassword } from "../users/password.ts";

const sessionLifetimeMs = 12 * 3600 * 1000;

export interface SessionUser {
  userId: string;
  email: string;
  name: string;
  operatorRole: OperatorRole | null;
  tenantIds: string[];
  csrfToken: string;
}

type Memberships = { tenantId: string; tenant: { status: string } }[];

/**
 * The tenants a user may act for now: a suspended tenant's users lose it at once (their sessions, new
 * logins, and so every tenant page and action, which check membership through the session).
 */
function activeTenantIds(memberships: Memberships): string[] {
  return memberships.filter((m) => m.tenant.status === "active").map((m) => m.tenantId);
}

/** A tenant user whose every tenant is suspended has nothing left to sign in to. */
function suspendedOut(user: { operatorRole: OperatorRole | null }, memberships: Memberships): boolean {
  return !user.operatorRole && memberships.length > 0 && activeTenantIds(memberships).length === 0;
}

function hashToken(token: string): string {
  return createHash("sha256").update(token).digest("hex");
}

/** Checks a password and opens a session; the returned token goes in an httpOnly cookie and is stored hashed. */
export async function logIn({ db, email, password }: { db: Database; email: string; password: string }) {
  const user = await db.prisma.user.findUnique({
    where: { email: email.trim().toLowerCase() },
    include: { memberships: { include: { tenant: { select: { status: true } } } } },
  });
  // Hash even for unknown users so a response's timing does not reveal which emails exist.
  const ok = await verifyPassword(
    password,
    user?.passwordHash ??
      "scrypt$32768$8$1$AAAAAAAAAAAAAAAAAAAAAA$AAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAA",
  );
  if (!user || !ok || user.disabledAt) throw new AppError("UNAUTHENTICATED", "wrong email or password");
  if (suspendedOut(user, user.memberships))
    throw new AppError("FORBIDDEN", "your organisation's access is suspended; ask your provider");
  const token = randomBytes(32).toString("base64url");
  const csrfToken = randomBytes(24).toString("base64url");
  const expiresAt = new Date(Date.now() + sessionLifetimeMs);
  await db.prisma.session.create({
    data: { tokenHash: hashToken(token), userId: user.id, csrfToken, expiresAt },
  });
  return { token, expiresAt };
}

export async function getSession({
  db,
  token,
}: {
  db: Database;
  token: string | undefined;
}): Promise<SessionUser | null> {
  if (!token) return null;
  const session = await db.prisma.session.findUnique({
    where: { tokenHash: hashToken(token) },
    include: { user: { include: { memberships: { include: { tenant: { select: { status: true } } } } } } },
  });
  if (!session || session.expiresAt <= new Date() || session.user.disabledAt) return null;
  if (suspendedOut(session.user, session.user.memberships)) return null;
  return {
    userId: session.userId,
    email: session.user.email,
    name: session.user.name,
    operatorRole: session.user.operatorRole,
    tenantIds: activeTenantIds(session.user.memberships),
    csrfToken: session.csrfToken,
  };
}

export async function logOut({ db, token }: { db: Database; token: string }) {
  await db.prisma.session.deleteMany({ where: { tokenHash: hashToken(token) } });
}
