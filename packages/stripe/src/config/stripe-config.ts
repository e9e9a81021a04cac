import { parseEnv } from "@meterplane/core";
import Stripe from "stripe";
import { z } from "zod";

const schema = z.object({
  /** Without it Stripe is off: invoices stay local and the portal says so. */
  STRIPE_SECRET_KEY: z.string().min(1).optional(),
  STRIPE_WEBHOOK_SECRET: z.string().min(1).optional(),
  /** Where the API is: Stripe itself unless set (the local double sets all three). */
  STRIPE_API_HOST: z.string().min(1).optional(),
  STRIPE_API_PORT: z.coerce.number().int().min(1).max(65535).optional(),
  STRIPE_API_PROTOCOL: z.enum(["http", "https"]).optional(),
  STRIPE_TIMEOUT_MS: z.coerce.number().int().min(100).default(20_000),
});
export type StripeConfig = z.infer<typeof schema>;

export function stripeConfig(source: NodeJS.ProcessEnv = process.env): StripeConfig {
  return parseEnv(schema, source);
}

/** True when a secret key is configured; otherwise invoices are never sent to Stripe. */
export function stripeEnabled(source: NodeJS.ProcessEnv = process.env): boolean {
  return Boolean(stripeConfig(source).STRIPE_SECRET_KEY);
}

/**
 * The official SDK, pointed at Stripe or at the double through the same options. The SDK's own network
 * retries are off: retries belong to the sync job, which persists progress between them, honours
 * `Retry-After` across processes and counts them in the run record.
 */
export function createStripeClient(config: StripeConfig = stripeConfig()): Stripe | null {
  if (!config.STRIPE_SECRET_KEY) return null;
  return new Stripe(config.STRIPE_SECRET_KEY, {
    maxNetworkRetries: 0,
    timeout: config.STRIPE_TIMEOUT_MS,
    ...(config.STRIPE_API_HOST ? { host: config.STRIPE_API_HOST } : {}),
    ...(config.STRIPE_API_PORT ? { port: config.STRIPE_API_PORT } : {}),
    ...(config.STRIPE_API_PROTOCOL ? { protocol: config.STRIPE_API_PROTOCOL } : {}),
    appInfo: { name: "Meterplane" },
  });
}
