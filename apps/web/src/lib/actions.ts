import { isAppError } from "@meterplane/core";
import type { Actor, OperatorRole } from "@meterplane/db";
import { revalidatePath } from "next/cache";
import { redirect } from "next/navigation";
import { ZodError, type z } from "zod";
import { log, services } from "./server";
import { type Operator, requireRole } from "./session";

/** What a form shows after its action ran: a confirmation, an error saying what to do, a secret shown once. */
export type ActionState = { ok: boolean; message: string; secret?: string } | null;

export interface ActionContext {
  db: ReturnType<typeof services>["db"];
  user: Operator;
  actor: Actor;
}

export type ActionOutcome = { message: string; secret?: string; redirectTo?: string };

/** Form fields as zod input: a field sent several times (checkboxes) becomes an array. */
export function formObject(form: FormData): Record<string, string | string[]> {
  const out: Record<string, string | string[]> = {};
  for (const key of new Set(form.keys())) {
    if (key.startsWith("$")) continue;
    const values = form.getAll(key).map(String);
    out[key] = values.length > 1 ? values : (values[0] ?? "");
  }
  return out;
}

/** What a person sees when an action fails: the domain's message, the first invalid field, or a generic line (logged). */
export function describeActionError(error: unknown): string {
  if (isAppError(error)) return error.message;
  if (error instanceof ZodError) {
    const first = error.issues[0];
    return `${first?.path.join(".") || "input"}: ${first?.message ?? "invalid"}`;
  }
  log.error(
    { err: error instanceof Error ? { message: error.message, stack: error.stack } : error },
    "action failed",
  );
  return "something went wrong on our side; try again, and if it persists check the server log";
}

/**
 * Every portal mutation goes through here: the role check on the server, zod validation of the form, the
 * domain call (which writes its audit row in its own transaction), and an error a person can act on.
 */
export function operatorAction<S extends z.ZodType>(
  role: OperatorRole,
  schema: S,
  run: (input: z.infer<S>, context: ActionContext) => Promise<ActionOutcome>,
) {
  return async (_previous: ActionState, form: FormData): Promise<ActionState> => {
    let outcome: ActionOutcome;
    try {
      const user = await requireRole(role);
      const input = schema.parse(formObject(form));
      outcome = await run(input, { db: services().db, user, actor: { kind: "user", id: user.userId } });
    } catch (error) {
      return { ok: false, message: describeActionError(error) };
    }
    revalidatePath("/", "layout");
    if (outcome.redirectTo) redirect(outcome.redirectTo);
    return { ok: true, message: outcome.message, secret: outcome.secret };
  };
}
