import { getSession, type SessionUser } from "@meterplane/access";
import { AppError } from "@meterplane/core";
import type { OperatorRole } from "@meterplane/db";
import { cookies } from "next/headers";
import { redirect } from "next/navigation";
import { cache } from "react";
import { services } from "./server";

export const sessionCookie = "mp_session";

export type Operator = SessionUser & { operatorRole: OperatorRole };

/** Each role may do what the roles below it may: viewer reads, billing prices and invoices, admin runs the fleet. */
const rank: Record<OperatorRole, number> = { viewer: 0, billing: 1, admin: 2, owner: 3 };

export function hasRole(user: Pick<Operator, "operatorRole">, role: OperatorRole): boolean {
  return rank[user.operatorRole] >= rank[role];
}

/** The session behind this request's cookie, looked up once per request however many components ask. */
export const currentUser = cache(async (): Promise<SessionUser | null> => {
  const token = (await cookies()).get(sessionCookie)?.value;
  return getSession({ db: services().db, token });
});

/** For operator pages: the signed-in operator, or a redirect to the login page. */
export async function requireOperator(): Promise<Operator> {
  const user = await currentUser();
  // A tenant user signed in through the same login lands on its billing pages, not back on the login form.
  if (user && !user.operatorRole && user.tenantIds.length) redirect("/tenant");
  if (!user?.operatorRole) redirect("/login");
  return user as Operator;
}

/**
 * The one authorization check of every portal mutation, run on the server whatever the UI showed:
 * throws UNAUTHENTICATED without an operator session and FORBIDDEN below `role`.
 */
export async function requireRole(role: OperatorRole): Promise<Operator> {
  const user = await currentUser();
  if (!user?.operatorRole) throw new AppError("UNAUTHENTICATED", "your session has ended; sign in again");
  if (!hasRole(user as Operator, role))
    throw new AppError("FORBIDDEN", `this needs the ${role} role; ask an owner to grant it`);
  return user as Operator;
}
