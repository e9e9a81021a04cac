import { parseEnv } from "@meterplane/core";
import { z } from "zod";

const schema = z.object({
  DATABASE_URL: z.string().url(),
  REDIS_URL: z.string().url(),
  /** Unaggregated batches beyond which ingest answers 429 so collectors back off. */
  INGEST_BACKLOG_LIMIT: z.coerce.number().int().min(1).default(50_000),
  /** Requests per minute and API key on /api/v1 reads, shared by every replica through Redis. */
  API_RATE_LIMIT_PER_MINUTE: z.coerce.number().int().min(1).default(600),
  NODE_ENV: z.string().optional(),
  /** `npm start` serves plain HTTP on localhost, where a Secure cookie would never be sent back. */
  MP_INSECURE_COOKIES: z.enum(["0", "1"]).optional(),
});

let parsed: z.infer<typeof schema> | undefined;

/** Parsed on first use (the build imports this module without a runtime environment); instrumentation.ts calls it at start. */
export function env(): z.infer<typeof schema> {
  parsed ??= parseEnv(schema);
  return parsed;
}

/** Session cookies are Secure in production unless `MP_INSECURE_COOKIES=1`. */
export function secureCookies(): boolean {
  return env().NODE_ENV === "production" && env().MP_INSECURE_COOKIES !== "1";
}
