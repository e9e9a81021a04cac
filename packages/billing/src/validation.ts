import { AppError } from "@meterplane/core";
import type { z } from "zod";

/** Parses with a zod schema or throws the one error type, naming every problem and its path. */
export function parseOrThrow<T>(schema: z.ZodType<T>, value: unknown, what: string): T {
  const parsed = schema.safeParse(value);
  if (parsed.success) return parsed.data;
  const problems = parsed.error.issues.map((i) => `${i.path.join(".") || "(root)"}: ${i.message}`);
  throw new AppError("VALIDATION_FAILED", `invalid ${what}: ${problems.join("; ")}`, {
    issues: parsed.error.issues,
  });
}
