import { type FieldErrors, fieldErrorsIn, fieldErrorsOf } from "@meterplane/core";
import { ZodError } from "zod";

/**
 * A path as the person filling the form would say it: `charges.0.properties.tiers.2.unitPrice` →
 * "Charge 1 tier 3 unit price". Numbers count from 1 and name the item before them; camelCase splits; a
 * picked record's id is named by the record (`tenantId` → "Tenant": the form's picker says Tenant, not id).
 */
export function humanizePath(path: string): string {
  const words: string[] = [];
  for (const part of path.split(".")) {
    if (part === "properties" || part === "") continue;
    if (/^\d+$/.test(part) && words.length) {
      const noun = words.pop()!;
      words.push(`${noun.endsWith("s") ? noun.slice(0, -1) : noun} ${Number(part) + 1}`);
    } else
      words.push(
        part
          .replace(/(.)Id$/, "$1")
          .replace(/([a-z])([A-Z])/g, "$1 $2")
          .toLowerCase(),
      );
  }
  const text = words.join(" ");
  return text.charAt(0).toUpperCase() + text.slice(1);
}

/**
 * Every field problem an action's failure names, keyed by the form's field names: a form's own zod schema
 * names them already; a domain error's paths go through `fieldOf` (e.g. `filter.channel` → `channel`).
 */
export function formFieldErrors(
  error: unknown,
  fieldOf: (path: string) => string = (path) => path,
): FieldErrors | undefined {
  const fields = error instanceof ZodError ? fieldErrorsOf(error) : fieldErrorsIn(error);
  if (!fields) return undefined;
  const mapped: FieldErrors = {};
  for (const [path, message] of Object.entries(fields)) mapped[fieldOf(path)] ??= message;
  return mapped;
}

/** The line under the form: every field that needs fixing, by the name the form gives it. */
export function summarize(fields: FieldErrors): string {
  const names = Object.keys(fields).map(humanizePath);
  return `${names.length === 1 ? "1 field needs" : `${names.length} fields need`} fixing: ${names.join(", ")}`;
}
