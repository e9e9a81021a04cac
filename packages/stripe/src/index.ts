export { fromStripeAmount, toStripeAmount } from "./amounts/to-stripe-amount.ts";
export { getStripeCollection } from "./collection/get-stripe-collection.ts";
export { setStripeCollection } from "./collection/set-stripe-collection.ts";
export {
  createStripeClient,
  type StripeConfig,
  stripeConfig,
  stripeEnabled,
} from "./config/stripe-config.ts";
export {
  createStripeSyncQueue,
  type StripeSyncJob,
  stripeQueueNames,
  stripeSyncJobId,
  stripeSyncJobSchema,
} from "./queue/stripe-queues.ts";
export { claimUnsyncedInvoices } from "./runs/claim-unsynced-invoices.ts";
export { getStripeInvoiceStatus } from "./sync/get-stripe-invoice-status.ts";
export { idempotencyKeys } from "./sync/idempotency-keys.ts";
export { listFailedStripeSyncs } from "./sync/list-failed-stripe-syncs.ts";
export { listStripeDrift } from "./sync/list-stripe-drift.ts";
export { recordStripeSyncError } from "./sync/record-stripe-sync-error.ts";
export { retryStripeSync } from "./sync/retry-stripe-sync.ts";
export { stripeBackoffMs, stripeRetryAdvice } from "./sync/stripe-retry-advice.ts";
export { syncInvoiceToStripe } from "./sync/sync-invoice-to-stripe.ts";
export { applyStripeEvent, type StripeEventOutcome } from "./webhooks/apply-stripe-event.ts";
export { verifyStripeWebhook } from "./webhooks/verify-stripe-webhook.ts";
