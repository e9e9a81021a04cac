import { parseEnv } from "@meterplane/core";
// The seller's settings alone: the package's index carries the PDF renderer.
import { type Seller, sellerEnv, sellerFrom } from "@meterplane/invoicing/seller";
import { z } from "zod";

const schema = z.object({
  DATABASE_URL: z.string().url(),
  REDIS_URL: z.string().url(),
  /** Unaggregated batches beyond which ingest answers 429 so collectors back off. */
  INGEST_BACKLOG_LIMIT: z.coerce.number().int().min(1).default(50_000),
  /** Requests per minute and API key on /api/v1 reads, shared by every replica through Redis. */
  API_RATE_LIMIT_PER_MINUTE: z.coerce.number().int().min(1).default(600),
  /** Who issues the invoices: name, address, email, tax id, payment terms (see the invoicing README). */
  ...sellerEnv,
});

let parsed: z.infer<typeof schema> | undefined;

/** Parsed on first use (the build imports this module without a runtime environment); instrumentation.ts calls it at start. */
export function env(): z.infer<typeof schema> {
  parsed ??= parseEnv(schema);
  return parsed;
}

/** The seller every invoice names, from the environment parsed above. */
export function seller(): Seller {
  return sellerFrom(env());
}
