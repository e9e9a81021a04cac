import { logOut } from "@meterplane/access";
import { cookies } from "next/headers";
import { handleApiError } from "@/lib/api";
import { requireCsrf } from "@/lib/csrf";
import { services } from "@/lib/server";
import { sessionCookie } from "@/lib/session";

/**
 * Signs out an operator or a tenant user. A route handler, not a server action, so it checks the session's
 * CSRF token itself.
 */
export async function POST(request: Request) {
  try {
    await requireCsrf(request);
    const jar = await cookies();
    const token = jar.get(sessionCookie)?.value;
    if (token) await logOut({ db: services().db, token });
    jar.delete(sessionCookie);
    return new Response(null, { status: 303, headers: { location: "/login" } });
  } catch (error) {
    return handleApiError(error);
  }
}
