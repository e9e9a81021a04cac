import type { InvoiceStatus, StripeSyncState } from "@meterplane/db";

/** Where a failed sync picks up again: the furthest step its stored ids and mirror prove. */
export function resumeState(
  stripeInvoiceId: string | null,
  hasCustomer: boolean,
  mirroredStatus: InvoiceStatus | null = null,
): StripeSyncState {
  if (mirroredStatus) return "finalized";
  if (stripeInvoiceId) return "invoice_created";
  return hasCustomer ? "customer_ready" : "pending";
}
