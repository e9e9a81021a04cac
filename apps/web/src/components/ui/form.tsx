"use client";

import { type ReactNode, startTransition, useActionState, useEffect, useRef } from "react";
import { useFormStatus } from "react-dom";
import type { ActionState } from "@/lib/actions";
import { Button, type ButtonVariant } from "./button";
import { CopyCommand } from "./copy-command";
import { FormStateContext } from "./form-state";

export type FormAction = (state: ActionState, form: FormData) => Promise<ActionState>;

/**
 * A form bound to a server action: shows the action's confirmation or error under it, every field's error at
 * its field (see `useFormField`), and a secret (a token shown once) in a copyable box. What was typed stays
 * after a failed submit; the form clears after one that worked, unless it keeps its values. Works without JavaScript too, as server
 * actions do (the fields then refill from the returned values).
 */
export function ActionForm({
  action,
  children,
  submit,
  variant = "primary",
  inline = false,
  confirm,
  testId,
  keepValues = false,
}: {
  action: FormAction;
  children?: ReactNode;
  submit: string;
  variant?: ButtonVariant;
  inline?: boolean;
  /** Asked before submitting; a function words it from the form's values (or returns undefined: no question). */
  confirm?: string | ((form: FormData) => string | undefined);
  testId?: string;
  /**
   * Keep the fields as submitted after a success, for forms whose choice is what the page goes on showing (a
   * reset would put a controlled select's DOM value back to its first option while its state kept the choice).
   */
  keepValues?: boolean;
}) {
  const [state, formAction, running] = useActionState(action, null);
  const form = useRef<HTMLFormElement>(null);
  useEffect(() => {
    if (state?.ok && !keepValues) form.current?.reset();
  }, [state, keepValues]);
  return (
    <form
      ref={form}
      action={formAction}
      className={inline ? "form-inline" : "form"}
      data-testid={testId}
      onSubmit={(event) => {
        // Submitted here rather than by React's form action, which clears every field even when it failed.
        event.preventDefault();
        const data = new FormData(event.currentTarget, (event.nativeEvent as SubmitEvent).submitter);
        const question = typeof confirm === "function" ? confirm(data) : confirm;
        if (question && !window.confirm(question)) return;
        startTransition(() => formAction(data));
      }}
    >
      <FormStateContext value={state}>{children}</FormStateContext>
      <SubmitButton label={submit} variant={variant} running={running} />
      {state ? (
        <p className={state.ok ? "notice" : "error"} role={state.ok ? "status" : "alert"}>
          {state.message}
          {state.link ? (
            <>
              {" "}
              <a href={state.link.href} data-testid="result-link">
                {state.link.label}
              </a>
            </>
          ) : null}
        </p>
      ) : null}
      {state?.command ? <CopyCommand command={state.command} /> : null}
      {state?.secret ? (
        <div className="secret">
          <span>Copy it now: it is shown only once.</span>
          <code data-testid="secret">{state.secret}</code>
        </div>
      ) : null}
    </form>
  );
}

function SubmitButton({
  label,
  variant,
  running,
}: {
  label: string;
  variant: ButtonVariant;
  running: boolean;
}) {
  // `useFormStatus` sees submits without JavaScript's help; `running` those made in onSubmit.
  const pending = useFormStatus().pending || running;
  return (
    <Button type="submit" variant={variant} disabled={pending} aria-busy={pending}>
      {pending ? "Working…" : label}
    </Button>
  );
}
