import { parseEnv } from "@meterplane/core";
import { z } from "zod";

export const invoiceRunEnv = parseEnv(
  z.object({
    /** Daily at 01:00 UTC: each run bills the periods that ended by then, whatever their anchor day. */
    INVOICE_RUN_CRON: z.string().min(1).default("0 1 * * *"),
    STRIPE_SYNC_CONCURRENCY: z.coerce.number().int().min(1).max(32).default(4),
    /** How soon a killed worker's sync job is taken up again. */
    STRIPE_SYNC_LOCK_MS: z.coerce.number().int().min(1000).default(30_000),
    /** How often invoices changed here since their sync (void, paid, credit notes) are sent to Stripe. */
    STRIPE_MIRROR_EVERY_MS: z.coerce.number().int().min(100).default(10_000),
  }),
);
