import { AppError } from "@meterplane/core";
import type { Database, Prisma } from "@meterplane/db";
import type Stripe from "stripe";
import { toStripeAmount } from "../amounts/to-stripe-amount.ts";
import { idempotencyKeys, metadataKeys } from "./idempotency-keys.ts";

/**
 * Carries every change made to our invoice after it was finalized in Stripe: each credit note not yet
 * there, then a new status (void → void, paid → paid out of band, uncollectible → mark uncollectible).
 * Each reaches Stripe once: credit notes are recorded one by one and looked for by our metadata before one
 * is created; a status is compared with Stripe's own before acting (a change Stripe made itself, such as a
 * collected payment, needs nothing), and recorded as mirrored after.
 */
export async function mirrorInvoiceChanges({
  db,
  stripe,
  sync,
  first,
}: {
  db: Database;
  stripe: Stripe;
  sync: Prisma.StripeInvoiceModel;
  /** Run once before the first change is carried, when there is one. */
  first?: () => Promise<unknown>;
}): Promise<Prisma.StripeInvoiceModel> {
  const { tenantId, invoiceId, keyGeneration: gen } = sync;
  const stripeInvoiceId = sync.stripeInvoiceId as string;
  const invoice = await db.prisma.invoice.findUniqueOrThrow({
    where: { tenantId_id: { tenantId, id: invoiceId } },
    include: { creditNotes: { include: { stripe: true }, orderBy: { createdAt: "asc" } } },
  });
  const pending = invoice.creditNotes.filter((note) => !note.stripe);
  if (invoice.status === sync.mirroredStatus && !pending.length) return sync;
  await first?.();

  let remote = await stripe.invoices.retrieve(stripeInvoiceId);
  if (pending.length) {
    const existing = new Map<string, string>();
    for await (const note of stripe.creditNotes.list({ invoice: stripeInvoiceId, limit: 100 })) {
      const ours = note.metadata?.[metadataKeys.creditNoteId];
      if (ours) existing.set(ours, note.id);
    }
    for (const note of pending) {
      const amount = toStripeAmount(note.amount, invoice.currency);
      const stripeCreditNoteId =
        existing.get(note.id) ??
        (
          await stripe.creditNotes.create(
            {
              invoice: stripeInvoiceId,
              lines: [
                {
                  type: "custom_line_item",
                  description: `${note.number}: ${note.reason}`,
                  quantity: 1,
                  unit_amount: amount,
                },
              ],
              memo: note.reason,
              metadata: { [metadataKeys.creditNoteId]: note.id },
              // Once paid, Stripe must be told where a credit goes: ours is settled outside Stripe.
              ...(remote.status === "paid" ? { out_of_band_amount: amount } : {}),
            },
            { idempotencyKey: idempotencyKeys.creditNote(note.id, gen) },
          )
        ).id;
      await db.prisma.stripeCreditNote.upsert({
        where: { tenantId_creditNoteId: { tenantId, creditNoteId: note.id } },
        create: { tenantId, creditNoteId: note.id, stripeCreditNoteId },
        update: {},
      });
    }
  }

  const open = remote.status === "open" || remote.status === "uncollectible";
  if (invoice.status === "void" && open)
    remote = await stripe.invoices.voidInvoice(
      stripeInvoiceId,
      {},
      { idempotencyKey: idempotencyKeys.status(invoiceId, "void", gen) },
    );
  else if (invoice.status === "paid" && open)
    remote = await stripe.invoices.pay(
      stripeInvoiceId,
      { paid_out_of_band: true },
      { idempotencyKey: idempotencyKeys.status(invoiceId, "paid", gen) },
    );
  else if (invoice.status === "uncollectible" && remote.status === "open")
    remote = await stripe.invoices.markUncollectible(
      stripeInvoiceId,
      {},
      { idempotencyKey: idempotencyKeys.status(invoiceId, "uncollectible", gen) },
    );
  const agrees = remote.status === (invoice.status === "finalized" ? "open" : invoice.status);
  if (!agrees)
    throw new AppError(
      "CONFLICT",
      `invoice ${invoice.number ?? invoiceId} is ${invoice.status} here but ${remote.status} in Stripe`,
    );
  return db.prisma.stripeInvoice.update({
    where: { tenantId_invoiceId: { tenantId, invoiceId } },
    data: {
      mirroredStatus: invoice.status,
      stripeStatus: remote.status ?? null,
      lastError: null,
      state: "finalized",
    },
  });
}
