/**
 * Stripe's request encoding: `application/x-www-form-urlencoded` with bracketed keys
 * (`metadata[tenant]=x`, `lines[0][amount]=100`). Numeric segments make arrays, as Stripe reads them.
 */
export type FormValue = string | FormValue[] | { [key: string]: FormValue };
export type FormObject = { [key: string]: FormValue };

export function parseForm(body: string): FormObject {
  const root: FormObject = {};
  for (const [key, value] of new URLSearchParams(body)) {
    const segments = [...key.matchAll(/^([^[]+)|\[([^\]]*)\]/g)].map((m) => m[1] ?? m[2] ?? "");
    assign(root, segments, value);
  }
  return root;
}

function assign(target: FormObject | FormValue[], segments: string[], value: string): void {
  const [head, ...rest] = segments;
  if (head === undefined) return;
  const slot = Array.isArray(target) ? (head === "" ? target.length : Number(head)) : head;
  const holder = target as Record<string | number, FormValue>;
  if (!rest.length) {
    holder[slot] = value;
    return;
  }
  const next = rest[0] === "" || /^\d+$/.test(rest[0] ?? "") ? [] : {};
  const existing = holder[slot];
  const child = existing !== undefined && typeof existing !== "string" ? existing : next;
  holder[slot] = child;
  assign(child, rest, value);
}

/** Order-independent form of parameters, to compare two requests made under one idempotency key. */
export function canonical(value: FormValue | undefined): string {
  if (value === undefined || typeof value === "string") return JSON.stringify(value ?? null);
  if (Array.isArray(value)) return `[${value.map(canonical).join(",")}]`;
  const keys = Object.keys(value).sort();
  return `{${keys.map((k) => `${JSON.stringify(k)}:${canonical(value[k])}`).join(",")}}`;
}
