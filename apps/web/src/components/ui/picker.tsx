"use client";

import { useId, useState } from "react";
import { FieldError, useFormField } from "./form-state";

export interface PickerOption {
  value: string;
  label: string;
}

/**
 * A searchable choice among records (tenants, hosts, plans): typing narrows the list and picks the first
 * match; the form sends the chosen record's id, never a typed name.
 */
export function Picker({
  label,
  name,
  options,
  defaultValue,
}: {
  label: string;
  name: string;
  options: PickerOption[];
  defaultValue?: string;
}) {
  const { error, value } = useFormField(name);
  const errorId = useId();
  const [query, setQuery] = useState("");
  // With one record there is nothing to choose.
  const [selected, setSelected] = useState(
    typeof value === "string" ? value : (defaultValue ?? (options.length === 1 ? options[0]!.value : "")),
  );
  const matches = (o: PickerOption, q: string) => o.label.toLowerCase().includes(q.trim().toLowerCase());
  const shown = options.filter((o) => matches(o, query) || o.value === selected);
  return (
    <div className={error ? "field picker invalid" : "field picker"}>
      <span>{label}</span>
      <input
        type="search"
        aria-label={`Search ${label.toLowerCase()}`}
        placeholder={`Search ${options.length} ${label.toLowerCase()}…`}
        value={query}
        onChange={(event) => {
          setQuery(event.target.value);
          const first = options.find((o) => matches(o, event.target.value));
          if (first) setSelected(first.value);
        }}
      />
      <select
        name={name}
        aria-label={label}
        value={selected}
        required
        onChange={(event) => setSelected(event.target.value)}
        aria-invalid={error ? true : undefined}
        aria-describedby={error ? errorId : undefined}
      >
        <option value="" disabled>
          {options.length ? "choose…" : "none yet"}
        </option>
        {shown.map((o) => (
          <option key={o.value} value={o.value}>
            {o.label}
          </option>
        ))}
      </select>
      <FieldError id={errorId} error={error} />
    </div>
  );
}
