/**
 * Idempotency keys derived from our own ids and the step, so a retry, a crash-resume or a repeated invoice
 * run sends Stripe the same key for the same object and Stripe creates it once.
 */
export const idempotencyKeys = {
  customer: (tenantId: string) => `meterplane:customer:${tenantId}`,
  createInvoice: (invoiceId: string) => `meterplane:invoice:${invoiceId}:create`,
  addLines: (invoiceId: string) => `meterplane:invoice:${invoiceId}:lines`,
  finalize: (invoiceId: string) => `meterplane:invoice:${invoiceId}:finalize`,
};

/** Metadata keys on Stripe's objects that point back at ours. */
export const metadataKeys = {
  tenantId: "meterplane_tenant_id",
  invoiceId: "meterplane_invoice_id",
  lineId: "meterplane_line_id",
} as const;
