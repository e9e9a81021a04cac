import { AppError } from "@meterplane/core";
import { type AuditEntry, type CollectionMethod, type Database, recordAudit } from "@meterplane/db";
import type Stripe from "stripe";
import { z } from "zod";

const input = z.object({
  method: z.enum(["send_invoice", "charge_automatically"]),
  daysUntilDue: z.coerce.number().int().min(0).max(365).default(30),
});

/**
 * How Stripe collects the tenant's invoices from the next one on: sent to the tenant, due after
 * `daysUntilDue` days, or charged automatically. Charging needs a default payment method on the tenant's
 * Stripe customer, asked of Stripe here, so an invoice is never created to be charged to nothing.
 */
export async function setStripeCollection({
  db,
  stripe,
  tenantId,
  actor,
  ...raw
}: {
  db: Database;
  stripe: Stripe | null;
  tenantId: string;
  actor: AuditEntry["actor"];
  method: CollectionMethod;
  daysUntilDue?: number | string;
}) {
  const parsed = input.safeParse(raw);
  if (!parsed.success) throw new AppError("VALIDATION_FAILED", z.prettifyError(parsed.error));
  const { method, daysUntilDue } = parsed.data;
  if (method === "charge_automatically") {
    const customer = await db.prisma.stripeCustomer.findUnique({ where: { tenantId } });
    const remote = stripe && customer ? await stripe.customers.retrieve(customer.stripeCustomerId) : null;
    const paymentMethod = remote && !remote.deleted ? remote.invoice_settings?.default_payment_method : null;
    const id = typeof paymentMethod === "string" ? paymentMethod : (paymentMethod?.id ?? null);
    if (customer)
      await db.prisma.stripeCustomer.update({ where: { tenantId }, data: { defaultPaymentMethod: id } });
    if (!id)
      throw new AppError(
        "CONFLICT",
        "the tenant has no default payment method in Stripe: invoices can only be sent to it",
      );
  }
  return db.prisma.$transaction(async (tx) => {
    const before = await tx.stripeCollection.findUnique({ where: { tenantId } });
    const after = await tx.stripeCollection.upsert({
      where: { tenantId },
      create: { tenantId, method, daysUntilDue },
      update: { method, daysUntilDue },
    });
    await recordAudit(tx, {
      actor,
      tenantId,
      action: "stripe_collection.set",
      entity: "tenant",
      entityId: tenantId,
      before: before && { method: before.method, daysUntilDue: before.daysUntilDue },
      after: { method, daysUntilDue },
    });
    return after;
  });
}
