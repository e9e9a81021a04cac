import { type FieldErrors, isAppError } from "@meterplane/core";
import type { Actor, OperatorRole } from "@meterplane/db";
import { revalidatePath } from "next/cache";
import { redirect } from "next/navigation";
import type { z } from "zod";
import { formFieldErrors, summarize } from "./form-errors";
import { log, services } from "./server";
import { type Operator, requireRole } from "./session";

/**
 * What a form shows after its action ran: a confirmation, an error saying what to do, a secret shown once.
 * A failure also carries every field's problem (`fields`, by field name) and what was typed (`values`), so
 * the form shows each error at its field and keeps the input.
 */
export type ActionState = {
  ok: boolean;
  message: string;
  secret?: string;
  /** A shell command to copy, shown with a copy button (e.g. the host enrollment command). */
  command?: string;
  /** Where to see what the action made (e.g. the draft invoice it updated). */
  link?: { href: string; label: string };
  fields?: FieldErrors;
  values?: Record<string, string | string[]>;
} | null;

export interface ActionContext {
  db: ReturnType<typeof services>["db"];
  user: Operator;
  actor: Actor;
}

export type ActionOutcome = {
  message: string;
  secret?: string;
  command?: string;
  link?: { href: string; label: string };
  redirectTo?: string;
};

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

/** What a person sees when an action fails and no field is to blame: the domain's message, or a generic line (logged). */
export function describeActionError(error: unknown): string {
  if (isAppError(error)) return error.message;
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
  /** Maps a domain error's field path to the form's field name, where they differ. */
  fieldOf?: (path: string) => string,
) {
  return async (_previous: ActionState, form: FormData): Promise<ActionState> => {
    let outcome: ActionOutcome;
    const values = formObject(form);
    try {
      const user = await requireRole(role);
      const input = schema.parse(values);
      outcome = await run(input, { db: services().db, user, actor: { kind: "user", id: user.userId } });
    } catch (error) {
      return failed(error, values, fieldOf);
    }
    revalidatePath("/", "layout");
    if (outcome.redirectTo) redirect(outcome.redirectTo);
    const { redirectTo: _redirect, ...shown } = outcome;
    return { ok: true, ...shown };
  };
}

/** A failed action's state: every field's problem at its field, the rest in the message, the input kept. */
export function failed(
  error: unknown,
  values: Record<string, string | string[]>,
  fieldOf?: (path: string) => string,
): ActionState {
  const { "": general, ...fields } = formFieldErrors(error, fieldOf) ?? {};
  if (Object.keys(fields).length) return { ok: false, message: general ?? summarize(fields), fields, values };
  return { ok: false, message: general ?? describeActionError(error), values };
}
