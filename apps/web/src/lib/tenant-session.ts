import type { SessionUser } from "@meterplane/access";
import { AppError } from "@meterplane/core";
import type { Actor } from "@meterplane/db";
import { revalidatePath } from "next/cache";
import { notFound, redirect } from "next/navigation";
import type { z } from "zod";
import { type ActionState, describeActionError, formObject } from "./actions";
import { currentUser } from "./session";

export interface TenantUser extends SessionUser {
  tenantId: string;
}

/**
 * For tenant pages: the signed-in member of `tenantId`. No session → the login page; a tenant the user is
 * not a member of → 404, so another tenant's ids reveal nothing. Without `tenantId`, the user's first tenant.
 */
export async function requireTenantUser(tenantId?: string): Promise<TenantUser> {
  const user = await currentUser();
  if (!user) redirect("/login");
  const chosen = tenantId ?? user.tenantIds[0];
  if (!chosen) redirect(user.operatorRole ? "/" : "/login");
  if (!user.tenantIds.includes(chosen)) notFound();
  return { ...user, tenantId: chosen };
}

/** The server-side check of every tenant mutation, whatever the page showed. */
async function requireMember(tenantId: string): Promise<TenantUser> {
  const user = await currentUser();
  if (!user) throw new AppError("UNAUTHENTICATED", "your session has ended; sign in again");
  if (!user.tenantIds.includes(tenantId)) throw new AppError("NOT_FOUND", "no such tenant");
  return { ...user, tenantId };
}

/**
 * A tenant page's server action: membership checked on the server for the tenant the form names, zod
 * validation of the form, the domain call, and a message a person can act on (or a secret shown once).
 */
export function tenantAction<S extends z.ZodType<{ tenantId: string }>>(
  schema: S,
  run: (
    input: z.infer<S>,
    context: { user: TenantUser; actor: Actor },
  ) => Promise<{ message: string; secret?: string }>,
) {
  return async (_previous: ActionState, form: FormData): Promise<ActionState> => {
    try {
      const input = schema.parse(formObject(form));
      const user = await requireMember(input.tenantId);
      const outcome = await run(input, { user, actor: { kind: "user", id: user.userId } });
      revalidatePath(`/tenant/${input.tenantId}`, "layout");
      return { ok: true, ...outcome };
    } catch (error) {
      return { ok: false, message: describeActionError(error) };
    }
  };
}
