"use client";

import { createContext, useContext } from "react";
import type { ActionState } from "@/lib/actions";

/** The last result of the enclosing ActionForm, so each field finds its own error and typed value. */
export const FormStateContext = createContext<ActionState>(null);

/** The error of field `name` in the last submit, and what was typed into it (kept when the submit failed). */
export function useFormField(name: string): { error?: string; value?: string | string[] } {
  const state = useContext(FormStateContext);
  return { error: state?.fields?.[name], value: state?.ok ? undefined : state?.values?.[name] };
}

/** A field's error, under it, tied to the input for screen readers by `id`. */
export function FieldError({ id, error }: { id: string; error?: string }) {
  return error ? (
    <small className="field-error" id={id} role="alert">
      {error}
    </small>
  ) : null;
}
