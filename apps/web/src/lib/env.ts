import { parseEnv } from "@meterplane/core";
import { z } from "zod";
import { parseTrustedProxies } from "./client-address";

const schema = z.object({
  DATABASE_URL: z.string().url(),
  REDIS_URL: z.string().url(),
  /** Unaggregated batches beyond which ingest answers 429 so collectors back off. */
  INGEST_BACKLOG_LIMIT: z.coerce.number().int().min(1).default(50_000),
  /** Requests per minute and API key on /api/v1 reads, shared by every replica through Redis. */
  API_RATE_LIMIT_PER_MINUTE: z.coerce.number().int().min(1).default(600),
  /**
   * Addresses and CIDR ranges of the reverse proxies in front of the web app, comma-separated. Only a
   * request whose socket comes from one of them has its `X-Forwarded-For` believed; empty: none is.
   */
  TRUSTED_PROXIES: z
    .string()
    .default("")
    .transform((text, context) => {
      try {
        return parseTrustedProxies(text);
      } catch (error) {
        context.addIssue({ code: "custom", message: (error as Error).message });
        return z.NEVER;
      }
    }),
  /**
   * Bearer token for `GET /metrics` and the details of `GET /api/health` (at least 24 characters). Unset:
   * /metrics answers 404 and health only ok or not.
   */
  METRICS_TOKEN: z.string().min(24).optional(),
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
