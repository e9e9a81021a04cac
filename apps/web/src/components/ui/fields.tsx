"use client";

import { type InputHTMLAttributes, type ReactNode, useId } from "react";
import { FieldError, useFormField } from "./form-state";

/** A labelled input; `hint` says what a valid value looks like; a failed submit's error shows under it. */
export function Field({
  label,
  hint,
  defaultValue,
  ...input
}: InputHTMLAttributes<HTMLInputElement> & { label: string; hint?: string; name: string }) {
  const { error, value } = useFormField(input.name);
  const errorId = useId();
  return (
    <label className={error ? "field invalid" : "field"}>
      <span>{label}</span>
      <input
        {...input}
        defaultValue={typeof value === "string" ? value : defaultValue}
        aria-invalid={error ? true : undefined}
        aria-describedby={error ? errorId : undefined}
      />
      <FieldError id={errorId} error={error} />
      {hint ? <small>{hint}</small> : null}
    </label>
  );
}

export function SelectField({
  label,
  name,
  options,
  defaultValue,
  required,
  hint,
}: {
  label: string;
  name: string;
  options: { value: string; label: string }[];
  defaultValue?: string;
  required?: boolean;
  hint?: string;
}) {
  const { error, value } = useFormField(name);
  const errorId = useId();
  return (
    <label className={error ? "field invalid" : "field"}>
      <span>{label}</span>
      <select
        name={name}
        defaultValue={typeof value === "string" ? value : defaultValue}
        required={required}
        aria-invalid={error ? true : undefined}
        aria-describedby={error ? errorId : undefined}
      >
        {options.map((o) => (
          <option key={o.value} value={o.value}>
            {o.label}
          </option>
        ))}
      </select>
      <FieldError id={errorId} error={error} />
      {hint ? <small>{hint}</small> : null}
    </label>
  );
}

export function Checkboxes({
  label,
  name,
  options,
  checked = [],
}: {
  label: string;
  name: string;
  options: string[];
  checked?: string[];
}) {
  const { error, value } = useFormField(name);
  const errorId = useId();
  const ticked = value === undefined ? checked : Array.isArray(value) ? value : [value];
  return (
    <fieldset
      className={error ? "field checks invalid" : "field checks"}
      aria-describedby={error ? errorId : undefined}
    >
      <legend>{label}</legend>
      {options.map((o) => (
        <label key={o}>
          <input type="checkbox" name={name} value={o} defaultChecked={ticked.includes(o)} /> {o}
        </label>
      ))}
      <FieldError id={errorId} error={error} />
    </fieldset>
  );
}

export function Hidden({ name, value }: { name: string; value: string }) {
  return <input type="hidden" name={name} value={value} />;
}

export function FormRow({ children }: { children: ReactNode }) {
  return <div className="form-row">{children}</div>;
}
