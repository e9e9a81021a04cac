import { getSession, type SessionUser } from "@meterplane/access";
import { cookies } from "next/headers";
import { redirect } from "next/navigation";
import { services } from "./server";

export const sessionCookie = "mp_session";

export async function currentUser(): Promise<SessionUser | null> {
  const token = (await cookies()).get(sessionCookie)?.value;
  return getSession({ db: services().db, token });
}

/** For operator pages: the signed-in operator, or a redirect to the login page. */
export async function requireOperator(): Promise<
  SessionUser & { operatorRole: NonNullable<SessionUser["operatorRole"]> }
> {
  const user = await currentUser();
  if (!user?.operatorRole) redirect("/login");
  return user as SessionUser & { operatorRole: NonNullable<SessionUser["operatorRole"]> };
}
