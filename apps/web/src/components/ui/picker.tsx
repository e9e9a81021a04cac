"use client";

import type { PickerMatch, PickerMatches } from "@meterplane/core";
import { type KeyboardEvent, useEffect, useId, useRef, useState } from "react";
import { FieldError, useFormField } from "./form-state";

/** What a picker searches: the routes of `app/(portal)/pickers/[kind]`. */
export type PickerSource = "tenants" | "hosts" | "plan-versions";

function pickerUrl(source: PickerSource, exclude: string | undefined, params: Record<string, string>) {
  return `/pickers/${source}?${new URLSearchParams({ ...params, ...(exclude ? { exclude } : {}) })}`;
}

/**
 * A choice among records (tenants, hosts, plan versions) that the server searches as one types: the page
 * sends none of them, so it stays the same size however many there are. A combobox (WAI-ARIA's pattern, list
 * autocomplete): typing lists up to 20 matches with the first one active, ↓/↑ move, Enter or a click picks,
 * Escape closes. The form sends the chosen record's id, never a typed name; after a failed submit the choice
 * stays, with the field's error under it.
 */
export function Picker({
  label,
  name,
  source,
  noun = label.toLowerCase(),
  initial,
  exclude,
}: {
  label: string;
  name: string;
  source: PickerSource;
  /** The record in words, for "No tenant matches …". */
  noun?: string;
  /** Chosen when the form starts or is reset (a record named in the URL, or the only one there is). */
  initial?: PickerMatch;
  /** A record not to offer (the one the form's subject is on already). */
  exclude?: string;
}) {
  const { error, value } = useFormField(name);
  const id = useId();
  const [chosen, setChosen] = useState<PickerMatch | null>(initial ?? null);
  const [text, setText] = useState(initial?.label ?? "");
  const [open, setOpen] = useState(false);
  const [found, setFound] = useState<(PickerMatches & { q: string }) | null>(null);
  const [failed, setFailed] = useState(false);
  const [active, setActive] = useState(0);
  const input = useRef<HTMLInputElement>(null);

  // The form came back without JavaScript's state (a submit that failed without it): name its choice again.
  const held = typeof value === "string" && value !== chosen?.id ? value : undefined;
  useEffect(() => {
    if (!held) return;
    const abort = new AbortController();
    fetch(pickerUrl(source, exclude, { id: held }), { signal: abort.signal })
      .then((response) => (response.ok ? (response.json() as Promise<PickerMatches>) : null))
      .then((result) => {
        const match = result?.matches[0];
        if (match) {
          setChosen(match);
          setText(match.label);
        }
      })
      .catch(() => {});
    return () => abort.abort();
  }, [held, source, exclude]);

  // A form that worked resets: back to the starting choice.
  useEffect(() => {
    const form = input.current?.form;
    if (!form) return;
    const reset = () => {
      setChosen(initial ?? null);
      setText(initial?.label ?? "");
      setOpen(false);
    };
    form.addEventListener("reset", reset);
    return () => form.removeEventListener("reset", reset);
  }, [initial]);

  // Searches what is typed while the list is open, a moment after the last key.
  const q = text === chosen?.label ? "" : text;
  useEffect(() => {
    if (!open) return;
    const abort = new AbortController();
    const timer = setTimeout(() => {
      fetch(pickerUrl(source, exclude, { q }), { signal: abort.signal })
        .then(async (response) => {
          if (!response.ok) throw new Error(String(response.status));
          const result = (await response.json()) as PickerMatches;
          setFound({ ...result, q });
          setFailed(false);
          setActive(0);
        })
        .catch(() => {
          // An aborted search was overtaken by newer typing; any other failure is shown.
          if (!abort.signal.aborted) setFailed(true);
        });
    }, 120);
    return () => {
      clearTimeout(timer);
      abort.abort();
    };
  }, [open, q, source, exclude]);

  const current = found && found.q === q ? found : null;
  const matches = current?.matches ?? [];
  const pick = (match: PickerMatch) => {
    setChosen(match);
    setText(match.label);
    setOpen(false);
  };
  const onKeyDown = (event: KeyboardEvent<HTMLInputElement>) => {
    if (event.key === "ArrowDown" || event.key === "ArrowUp") {
      event.preventDefault();
      if (!open) return setOpen(true);
      const step = event.key === "ArrowDown" ? 1 : -1;
      if (matches.length) setActive((active + step + matches.length) % matches.length);
    } else if (event.key === "Enter" && open) {
      // Picks instead of submitting the form.
      event.preventDefault();
      const match = matches[active];
      if (match) pick(match);
    } else if (event.key === "Escape" && open) {
      event.preventDefault();
      setOpen(false);
    }
  };
  const listId = `${id}-list`;
  const errorId = `${id}-error`;
  const optionId = (i: number) => `${id}-option-${i}`;
  return (
    <div className={error ? "field picker invalid" : "field picker"}>
      <label htmlFor={`${id}-input`}>{label}</label>
      <input type="hidden" name={name} value={chosen?.id ?? ""} />
      <input
        ref={input}
        id={`${id}-input`}
        type="text"
        role="combobox"
        autoComplete="off"
        spellCheck={false}
        placeholder={`Search ${noun}s…`}
        aria-autocomplete="list"
        aria-expanded={open}
        aria-controls={listId}
        aria-activedescendant={open && matches[active] ? optionId(active) : undefined}
        aria-invalid={error ? true : undefined}
        aria-describedby={error ? errorId : undefined}
        value={text}
        onChange={(event) => {
          setText(event.target.value);
          setOpen(true);
        }}
        onFocus={() => setOpen(true)}
        onClick={() => setOpen(true)}
        onKeyDown={onKeyDown}
        onBlur={() => {
          setOpen(false);
          // Typed over the choice without picking another: the choice stands, and says so.
          if (chosen) setText(chosen.label);
        }}
      />
      <div className="picker-popup" hidden={!open}>
        <div id={listId} role="listbox" aria-label={`${label} matches`}>
          {open
            ? matches.map((match, i) => (
                // The keys are the input's (aria-activedescendant): an option never takes the focus itself.
                // biome-ignore lint/a11y/useKeyWithClickEvents: see above
                <div
                  key={match.id}
                  id={optionId(i)}
                  role="option"
                  tabIndex={-1}
                  aria-selected={i === active}
                  data-chosen={match.id === chosen?.id || undefined}
                  // Keeps the focus in the input, so the list does not close before the click lands.
                  onMouseDown={(event) => event.preventDefault()}
                  onClick={() => pick(match)}
                >
                  {match.label}
                </div>
              ))
            : null}
        </div>
        <p className="picker-note" role="status">
          {!open
            ? ""
            : failed
              ? "The search failed; type again to retry."
              : !current
                ? "Searching…"
                : !matches.length
                  ? q
                    ? `No ${noun} matches “${q}”.`
                    : `No ${noun}s yet.`
                  : current.more
                    ? `The first ${matches.length}: type more to narrow.`
                    : ""}
        </p>
      </div>
      <FieldError id={errorId} error={error} />
    </div>
  );
}
