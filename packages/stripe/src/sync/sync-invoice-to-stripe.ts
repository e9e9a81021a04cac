import { AppError } from "@meterplane/core";
import type { Database, StripeSyncState } from "@meterplane/db";
import type Stripe from "stripe";
import { idempotencyKeys, metadataKeys } from "./idempotency-keys.ts";
import { resumeState } from "./resume-state.ts";
import { minorUnits, stripeLines } from "./stripe-lines.ts";

export interface SyncInvoiceToStripeOptions {
  db: Database;
  stripe: Stripe;
  tenantId: string;
  invoiceId: string;
}

/**
 * Sends one finalized invoice to Stripe: customer, draft invoice, lines, finalize. Each step is
 * persisted as it succeeds (the StripeInvoice state machine), so a retry or a crash resumes at the
 * step that did not finish. A step that may have reached Stripe without our record of it is replayed
 * under the same idempotency key, and when resuming we first ask Stripe what it already holds, so no
 * object is created twice even after Stripe forgot the key (24 h).
 */
export async function syncInvoiceToStripe({ db, stripe, tenantId, invoiceId }: SyncInvoiceToStripeOptions) {
  const invoice = await db.prisma.invoice.findUnique({
    where: { tenantId_id: { tenantId, id: invoiceId } },
    include: { lines: { orderBy: { position: "asc" } }, tenant: { include: { stripe: true } } },
  });
  if (!invoice) throw new AppError("NOT_FOUND", `invoice ${invoiceId} not found`);
  if (invoice.status === "draft") throw new AppError("CONFLICT", `invoice ${invoiceId} is not finalized`);
  const key = { tenantId_invoiceId: { tenantId, invoiceId } };
  const existing = await db.prisma.stripeInvoice.upsert({
    where: key,
    create: { tenantId, invoiceId },
    update: {},
  });
  if (existing.state === "finalized") return existing;

  const entered =
    existing.state === "failed"
      ? resumeState(existing.stripeInvoiceId, Boolean(invoice.tenant.stripe))
      : existing.state;
  let sync = await db.prisma.stripeInvoice.update({
    where: key,
    data: { attempts: { increment: 1 }, state: entered },
  });
  const save = async (
    state: StripeSyncState,
    data: { stripeInvoiceId?: string; stripeStatus?: string } = {},
  ) => {
    sync = await db.prisma.stripeInvoice.update({ where: key, data: { state, lastError: null, ...data } });
  };
  const currency = invoice.currency.toLowerCase();

  let customerId = invoice.tenant.stripe?.stripeCustomerId;
  if (!customerId) {
    const customer = await stripe.customers.create(
      {
        name: invoice.tenant.name,
        ...(invoice.tenant.email ? { email: invoice.tenant.email } : {}),
        metadata: { [metadataKeys.tenantId]: tenantId },
      },
      { idempotencyKey: idempotencyKeys.customer(tenantId) },
    );
    // Invoices of one tenant sync concurrently; they share the customer key, so all get this same id.
    const row = await db.prisma.stripeCustomer.upsert({
      where: { tenantId },
      create: { tenantId, stripeCustomerId: customer.id },
      update: {},
    });
    customerId = row.stripeCustomerId;
  }
  if (sync.state === "pending") await save("customer_ready");

  // What Stripe already holds, when this attempt resumes one that may have got further than we recorded.
  let remote: Stripe.Invoice | undefined;
  if (!sync.stripeInvoiceId) {
    // A previous attempt may have created it and died before saving the id: look before creating.
    remote = sync.attempts > 1 ? await findStripeInvoice(stripe, customerId, invoiceId) : undefined;
    const created =
      remote ??
      (await stripe.invoices.create(
        {
          customer: customerId,
          currency,
          // Stripe must not finalize the draft on its own while lines are still being added.
          auto_advance: false,
          pending_invoice_items_behavior: "exclude",
          description: `Meterplane invoice ${invoice.number ?? invoiceId}`,
          metadata: { [metadataKeys.tenantId]: tenantId, [metadataKeys.invoiceId]: invoiceId },
        },
        { idempotencyKey: idempotencyKeys.createInvoice(invoiceId) },
      ));
    if (!created.id) throw new AppError("INTERNAL", "Stripe returned an invoice without an id");
    await save("invoice_created", { stripeInvoiceId: created.id });
  } else if (entered === "invoice_created" || entered === "lines_added") {
    remote = await stripe.invoices.retrieve(sync.stripeInvoiceId);
  }
  const stripeInvoiceId = sync.stripeInvoiceId as string;
  if (remote && remote.status !== "draft") {
    await save("finalized", { stripeStatus: remote.status ?? "open" });
    return sync;
  }

  if (sync.state === "invoice_created") {
    // add_lines is all or nothing, so any line already there means this step happened.
    if (!remote?.lines.data.length && invoice.lines.length) {
      const withLines = await stripe.invoices.addLines(
        stripeInvoiceId,
        {
          lines: stripeLines(invoice.lines, invoice.currency, {
            start: invoice.periodStart,
            end: invoice.periodEnd,
          }),
        },
        { idempotencyKey: idempotencyKeys.addLines(invoiceId) },
      );
      const expected = minorUnits(invoice.total, invoice.currency);
      if (withLines.total !== expected)
        throw new AppError(
          "CONFLICT",
          `Stripe's total ${withLines.total} differs from ours ${expected} for invoice ${invoiceId}`,
        );
    }
    await save("lines_added");
  }

  // Finalizing with auto_advance on hands collection (payment attempts, emails) to Stripe from here on.
  const finalized = await stripe.invoices.finalizeInvoice(
    stripeInvoiceId,
    { auto_advance: true },
    { idempotencyKey: idempotencyKeys.finalize(invoiceId) },
  );
  await save("finalized", { stripeStatus: finalized.status ?? "open" });
  return sync;
}

async function findStripeInvoice(stripe: Stripe, customer: string, invoiceId: string) {
  for await (const candidate of stripe.invoices.list({ customer, limit: 100 })) {
    if (candidate.metadata?.[metadataKeys.invoiceId] === invoiceId) return candidate;
  }
  return undefined;
}
