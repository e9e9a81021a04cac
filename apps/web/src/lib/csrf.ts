import { timingSafeEqual } from "node:crypto";
import type { SessionUser } from "@meterplane/access";
import { AppError } from "@meterplane/core";
import { currentUser } from "./session";

function same(a: string, b: string): boolean {
  const x = Buffer.from(a);
  const y = Buffer.from(b);
  return x.length === y.length && timingSafeEqual(x, y);
}

/**
 * For route handlers that change something (server actions get Next's own origin check): the request must
 * come from our origin and carry the session's CSRF token, in `x-csrf-token` or a `csrf` form field. Any
 * signed-in user passes it (an operator or a tenant user); a handler needing a role checks it after.
 */
export async function requireCsrf(request: Request): Promise<SessionUser> {
  const origin = request.headers.get("origin");
  const host = request.headers.get("x-forwarded-host") ?? request.headers.get("host");
  if (origin && host && new URL(origin).host !== host)
    throw new AppError("FORBIDDEN", "cross-site request refused; use the portal's own pages");
  const user = await currentUser();
  if (!user) throw new AppError("UNAUTHENTICATED", "your session has ended; sign in again");
  let sent = request.headers.get("x-csrf-token");
  if (!sent && request.headers.get("content-type")?.includes("form"))
    sent = String((await request.clone().formData()).get("csrf") ?? "");
  if (!sent || !same(sent, user.csrfToken))
    throw new AppError("FORBIDDEN", "the form is out of date; reload the page and try again");
  return user;
}
