import type { z } from "zod";
import { AppError, isAppError } from "./errors.ts";

/**
 * Problems by field: the field's path joined with dots (`filter.channel`, `charges.2.unitPrice`) → what is
 * wrong with it, first problem per field. Forms look their fields up here to show each error where it belongs.
 */
export type FieldErrors = Record<string, string>;

export function fieldErrorsOf(error: z.ZodError): FieldErrors {
  const fields: FieldErrors = {};
  for (const issue of error.issues) {
    const path = issue.path.map(String).join(".");
    fields[path] ??= issue.message;
  }
  return fields;
}

/** VALIDATION_FAILED carrying every field's problem in `details.fields`, and all of them in its message. */
export function invalidFields(fields: FieldErrors, summary = "some fields need fixing"): AppError {
  const listed = Object.entries(fields).map(([path, message]) => (path ? `${path}: ${message}` : message));
  return new AppError("VALIDATION_FAILED", `${summary}: ${listed.join("; ")}`, { fields });
}

/** The field problems an error carries (a validation failure, or a conflict, that names its fields). */
export function fieldErrorsIn(error: unknown): FieldErrors | undefined {
  if (!isAppError(error)) return undefined;
  const fields = (error.details as { fields?: unknown } | undefined)?.fields;
  return fields && typeof fields === "object" ? (fields as FieldErrors) : undefined;
}
