import type { z } from "zod";

/** The log level of every server process: `LOG_LEVEL`, default info. */
export function logLevel(source: NodeJS.ProcessEnv = process.env): string {
  return source.LOG_LEVEL ?? "info";
}

/**
 * Parses the process environment once, at start-up, and fails fast naming every missing or bad variable.
 */
export function parseEnv<S extends z.ZodType>(
  schema: S,
  source: NodeJS.ProcessEnv = process.env,
): z.infer<S> {
  const result = schema.safeParse(source);
  if (result.success) return result.data;
  const problems = result.error.issues.map((issue) => `${issue.path.join(".")}: ${issue.message}`);
  throw new Error(`invalid environment: ${problems.join("; ")}`);
}
