"use client";

import { type ReactNode, useActionState } from "react";
import { useFormStatus } from "react-dom";
import type { ActionState } from "@/lib/actions";
import { Button, type ButtonVariant } from "./button";

export type FormAction = (state: ActionState, form: FormData) => Promise<ActionState>;

/**
 * A form bound to a server action: shows the action's confirmation or error under it, and a secret (a token
 * shown once) in a copyable box. Works without JavaScript too, as server actions do.
 */
export function ActionForm({
  action,
  children,
  submit,
  variant = "primary",
  inline = false,
  confirm,
  testId,
}: {
  action: FormAction;
  children?: ReactNode;
  submit: string;
  variant?: ButtonVariant;
  inline?: boolean;
  /** Asked before submitting; a function words it from the form's values (or returns undefined: no question). */
  confirm?: string | ((form: FormData) => string | undefined);
  testId?: string;
}) {
  const [state, formAction] = useActionState(action, null);
  return (
    <form
      action={formAction}
      className={inline ? "form-inline" : "form"}
      data-testid={testId}
      onSubmit={(event) => {
        const question = typeof confirm === "function" ? confirm(new FormData(event.currentTarget)) : confirm;
        if (question && !window.confirm(question)) event.preventDefault();
      }}
    >
      {children}
      <SubmitButton label={submit} variant={variant} />
      {state ? (
        <p className={state.ok ? "notice" : "error"} role={state.ok ? "status" : "alert"}>
          {state.message}
        </p>
      ) : null}
      {state?.secret ? (
        <div className="secret">
          <span>Copy it now: it is shown only once.</span>
          <code data-testid="secret">{state.secret}</code>
        </div>
      ) : null}
    </form>
  );
}

function SubmitButton({ label, variant }: { label: string; variant: ButtonVariant }) {
  const { pending } = useFormStatus();
  return (
    <Button type="submit" variant={variant} disabled={pending} aria-busy={pending}>
      {pending ? "Working…" : label}
    </Button>
  );
}
