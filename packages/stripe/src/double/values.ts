import { invalid } from "./errors.ts";
import type { FormObject, FormValue } from "./form.ts";

/** Readers of form values, failing as Stripe does on a value of the wrong kind. */
export const str = (v: FormValue | undefined) => (typeof v === "string" ? v : undefined);
export const obj = (v: FormValue | undefined) =>
  v && typeof v === "object" && !Array.isArray(v) ? (v as FormObject) : undefined;
export const metadataOf = (v: FormValue | undefined) => {
  const m = obj(v) ?? {};
  return Object.fromEntries(Object.entries(m).filter(([, x]) => typeof x === "string"));
};
export function integer(v: FormValue | undefined, param: string): number {
  const s = str(v);
  if (s === undefined || !/^-?\d+$/.test(s)) throw invalid(`Invalid integer: ${String(s)}`, param);
  return Number(s);
}
export function bool(v: FormValue | undefined, fallback: boolean): boolean {
  const s = str(v);
  return s === undefined ? fallback : s === "true";
}
