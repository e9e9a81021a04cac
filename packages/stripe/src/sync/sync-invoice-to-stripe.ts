import { AppError } from "@meterplane/core";
import type { Database, StripeSyncState } from "@meterplane/db";
import Stripe from "stripe";
import { toStripeAmount } from "../amounts/to-stripe-amount.ts";
import { ensureStripeCustomer } from "./ensure-stripe-customer.ts";
import { idempotencyKeys, metadataKeys } from "./idempotency-keys.ts";
import { mirrorInvoiceChanges } from "./mirror-invoice-changes.ts";
import { resumeState } from "./resume-state.ts";
import { stripeLines } from "./stripe-lines.ts";

export interface SyncInvoiceToStripeOptions {
  db: Database;
  stripe: Stripe;
  tenantId: string;
  invoiceId: string;
}

/**
 * Brings Stripe in line with one of our invoices. An invoice still open when its sync first runs is sent:
 * customer, draft invoice, lines, finalize; one already voided or paid is never sent (`skipped`). Once
 * finalized in Stripe, every later change of ours (credit notes, void, paid, uncollectible) is carried over
 * once (see mirrorInvoiceChanges). Each step is persisted as it succeeds, so a retry or a crash resumes at
 * the step that did not finish; a step that may have reached Stripe without our record of it is replayed
 * under the same idempotency key, and when resuming we first ask Stripe what it already holds, so no object
 * is created twice even after Stripe forgot the key (24 h). After a 5xx, which Stripe stores under the key
 * and replays, the next attempt uses new keys (keyGeneration).
 */
export async function syncInvoiceToStripe(options: SyncInvoiceToStripeOptions) {
  const { db, tenantId, invoiceId } = options;
  try {
    return await sync(options);
  } catch (error) {
    if (error instanceof Stripe.errors.StripeError && (error.statusCode ?? 0) >= 500)
      await db.prisma.stripeInvoice.update({
        where: { tenantId_invoiceId: { tenantId, invoiceId } },
        data: { keyGeneration: { increment: 1 } },
      });
    throw error;
  }
}

async function sync({ db, stripe, tenantId, invoiceId }: SyncInvoiceToStripeOptions) {
  const invoice = await db.prisma.invoice.findUnique({
    where: { tenantId_id: { tenantId, id: invoiceId } },
    include: {
      lines: { orderBy: { position: "asc" } },
      tenant: { include: { stripe: true, collection: true } },
    },
  });
  if (!invoice) throw new AppError("NOT_FOUND", `invoice ${invoiceId} not found`);
  if (invoice.status === "draft") throw new AppError("CONFLICT", `invoice ${invoiceId} is not finalized`);
  const key = { tenantId_invoiceId: { tenantId, invoiceId } };
  const existing = await db.prisma.stripeInvoice.upsert({
    where: key,
    create: { tenantId, invoiceId },
    update: {},
  });
  if (existing.state === "skipped") return existing;
  const entered =
    existing.state === "failed"
      ? resumeState(existing.stripeInvoiceId, Boolean(invoice.tenant.stripe), existing.mirroredStatus)
      : existing.state;
  let sync = await db.prisma.stripeInvoice.update({
    where: key,
    data: { attempts: { increment: 1 }, state: entered },
  });
  const gen = sync.keyGeneration;
  const save = async (
    state: StripeSyncState,
    data: { stripeInvoiceId?: string; stripeStatus?: string; mirroredStatus?: "finalized" } = {},
  ) => {
    sync = await db.prisma.stripeInvoice.update({ where: key, data: { state, lastError: null, ...data } });
  };
  if (sync.state === "finalized")
    return mirrorInvoiceChanges({
      db,
      stripe,
      sync,
      // A sync with changes to carry also brings the tenant's current name and email to its customer.
      first: () => ensureStripeCustomer({ db, stripe, tenant: invoice.tenant, keyGeneration: gen }),
    });

  // Every amount is converted before the first request: one Stripe cannot hold stops the sync here.
  const lines = stripeLines(invoice.lines, invoice.currency, {
    start: invoice.periodStart,
    end: invoice.periodEnd,
  });
  const expected = toStripeAmount(invoice.total, invoice.currency);
  const open = invoice.status === "finalized";
  // A previous attempt may have created the Stripe invoice and died before saving its id.
  const mayExist = sync.attempts > 1 && Boolean(invoice.tenant.stripe);
  if (!sync.stripeInvoiceId && !open && !mayExist) {
    await save("skipped");
    return sync;
  }

  const customer = await ensureStripeCustomer({ db, stripe, tenant: invoice.tenant, keyGeneration: gen });
  if (sync.state === "pending") await save("customer_ready");

  let remote: Stripe.Invoice | undefined;
  if (!sync.stripeInvoiceId) {
    remote = mayExist ? await findStripeInvoice(stripe, customer.id, invoiceId) : undefined;
    if (!remote && !open) {
      await save("skipped");
      return sync;
    }
    const charge =
      invoice.tenant.collection?.method === "charge_automatically" &&
      Boolean(customer.invoice_settings?.default_payment_method);
    remote ??= await stripe.invoices.create(
      {
        customer: customer.id,
        currency: invoice.currency.toLowerCase(),
        // Stripe must not finalize the draft on its own while lines are still being added.
        auto_advance: false,
        // The customer's coupons must not reach an invoice whose total is ours.
        discounts: "",
        ...(charge
          ? { collection_method: "charge_automatically" as const }
          : {
              collection_method: "send_invoice" as const,
              days_until_due: invoice.tenant.collection?.daysUntilDue ?? 30,
            }),
        pending_invoice_items_behavior: "exclude",
        description: `Meterplane invoice ${invoice.number ?? invoiceId}`,
        metadata: { [metadataKeys.tenantId]: tenantId, [metadataKeys.invoiceId]: invoiceId },
      },
      { idempotencyKey: idempotencyKeys.createInvoice(invoiceId, gen) },
    );
    if (!remote.id) throw new AppError("INTERNAL", "Stripe returned an invoice without an id");
    await db.prisma.stripeInvoice.update({
      where: key,
      data: { collectionMethod: charge ? "charge_automatically" : "send_invoice" },
    });
    await save("invoice_created", { stripeInvoiceId: remote.id });
  } else {
    remote = await stripe.invoices.retrieve(sync.stripeInvoiceId);
  }
  const stripeInvoiceId = sync.stripeInvoiceId as string;
  if (remote.status !== "draft") {
    await save("finalized", { stripeStatus: remote.status ?? "open", mirroredStatus: "finalized" });
    return mirrorInvoiceChanges({ db, stripe, sync });
  }
  if (!open) {
    // Created but never finalized, and no longer ours to send: Stripe deletes drafts.
    await stripe.invoices.del(stripeInvoiceId);
    await save("skipped", { stripeStatus: "deleted" });
    return sync;
  }

  // add_lines is all or nothing, so any line already there means this step happened.
  if (!remote.lines.data.length && lines.length)
    remote = await stripe.invoices.addLines(
      stripeInvoiceId,
      { lines },
      { idempotencyKey: idempotencyKeys.addLines(invoiceId, gen) },
    );
  if (sync.state === "invoice_created") await save("lines_added");
  // Checked before every finalize, retries included: what Stripe would collect must be our total.
  if (remote.total !== expected)
    throw new AppError(
      "CONFLICT",
      `Stripe's total ${remote.total} differs from ours ${expected} for invoice ${invoiceId}`,
    );

  // Finalizing with auto_advance on hands collection (payment attempts, emails) to Stripe from here on.
  const finalized = await stripe.invoices.finalizeInvoice(
    stripeInvoiceId,
    { auto_advance: true },
    { idempotencyKey: idempotencyKeys.finalize(invoiceId, gen) },
  );
  await save("finalized", { stripeStatus: finalized.status ?? "open", mirroredStatus: "finalized" });
  return mirrorInvoiceChanges({ db, stripe, sync });
}

async function findStripeInvoice(stripe: Stripe, customer: string, invoiceId: string) {
  for await (const candidate of stripe.invoices.list({ customer, limit: 100 })) {
    if (candidate.metadata?.[metadataKeys.invoiceId] === invoiceId) return candidate;
  }
  return undefined;
}
