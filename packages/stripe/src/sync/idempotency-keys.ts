import { createHash } from "node:crypto";

/** A key's suffix after Stripe answered 5xx under it: Stripe replays that answer for 24 h, so the retry needs a new key. */
const generation = (n: number) => (n > 0 ? `:${n}` : "");

/**
 * Idempotency keys derived from our own ids, the step and its key generation, so a retry, a crash-resume or
 * a repeated invoice run sends Stripe the same key for the same object and Stripe creates it once.
 */
export const idempotencyKeys = {
  /** Shared by every invoice of the tenant, so concurrent syncs of a new tenant make one customer; the
   * parameters are part of it, so renaming a tenant between retries is a new request, not an idempotency error. */
  customer: (tenantId: string, params: object, gen = 0) =>
    `meterplane:customer:${tenantId}:${createHash("sha256").update(JSON.stringify(params)).digest("hex").slice(0, 16)}${generation(gen)}`,
  createInvoice: (invoiceId: string, gen = 0) => `meterplane:invoice:${invoiceId}:create${generation(gen)}`,
  addLines: (invoiceId: string, gen = 0) => `meterplane:invoice:${invoiceId}:lines${generation(gen)}`,
  finalize: (invoiceId: string, gen = 0) => `meterplane:invoice:${invoiceId}:finalize${generation(gen)}`,
  status: (invoiceId: string, status: string, gen = 0) =>
    `meterplane:invoice:${invoiceId}:${status}${generation(gen)}`,
  creditNote: (creditNoteId: string, gen = 0) => `meterplane:credit-note:${creditNoteId}${generation(gen)}`,
};

/** Metadata keys on Stripe's objects that point back at ours. */
export const metadataKeys = {
  tenantId: "meterplane_tenant_id",
  invoiceId: "meterplane_invoice_id",
  lineId: "meterplane_line_id",
  creditNoteId: "meterplane_credit_note_id",
} as const;
