import type { StripeSyncState } from "@meterplane/db";

/** Where a failed sync picks up again: the furthest step its stored ids prove. */
export function resumeState(stripeInvoiceId: string | null, hasCustomer: boolean): StripeSyncState {
  if (stripeInvoiceId) return "invoice_created";
  return hasCustomer ? "customer_ready" : "pending";
}
