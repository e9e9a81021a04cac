import { parseEnv } from "@meterplane/core";
// The seller's settings alone: the package's index carries the PDF renderer.
import { type Seller, sellerEnv, sellerFrom } from "@meterplane/invoicing/seller";
import { parseReleasePublicKey } from "@meterplane/wire";
import { z } from "zod";
import { parseTrustedProxies } from "./client-address";

const schema = z.object({
  DATABASE_URL: z.string().url(),
  REDIS_URL: z.string().url(),
  /**
   * Unaggregated batches beyond which ingest answers 429 so collectors back off. A fleet keeps about
   * rate × (fold window + group) batches waiting in normal operation (45,000 at 10,000 hosts on a 10 s
   * interval); the default leaves four times that.
   */
  INGEST_BACKLOG_LIMIT: z.coerce.number().int().min(1).default(200_000),
  /** Requests per minute and API key on /api/v1 reads, shared by every replica through Redis. */
  API_RATE_LIMIT_PER_MINUTE: z.coerce.number().int().min(1).default(600),
  /**
   * The operator's Ed25519 release public key, base64 SPKI DER (`collector/scripts/build-release.ts keygen`
   * prints it). Collectors learn it at enrollment and install only releases signed with its private key.
   */
  COLLECTOR_RELEASE_PUBLIC_KEY: z
    .string()
    .optional()
    .superRefine((key, ctx) => {
      if (key === undefined) return;
      try {
        parseReleasePublicKey(key);
      } catch (error) {
        ctx.addIssue({ code: "custom", message: `not a base64 SPKI Ed25519 public key: ${String(error)}` });
      }
    }),
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
  /** The portal's address as hosts reach it, for the enrollment command; else each request's own origin. */
  MP_PUBLIC_URL: z
    .url({ protocol: /^https?$/, message: "an http(s) URL like https://billing.example.com" })
    .optional(),
  /** Who issues the invoices: name, address, email, tax id, payment terms (see the invoicing README). */
  ...sellerEnv,
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

/** The seller every invoice names, from the environment parsed above. */
export function seller(): Seller {
  return sellerFrom(env());
}
