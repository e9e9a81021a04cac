import { randomBytes } from "node:crypto";
import { Dec } from "@meterplane/core";
import type { Database } from "@meterplane/db";
import { aTenant } from "@meterplane/testing";
import type Stripe from "stripe";
import { toStripeAmount } from "../amounts/to-stripe-amount.ts";
import { createStripeClient, stripeConfig } from "../config/stripe-config.ts";
import type { StripeDouble } from "../double/index.ts";

const unique = () => randomBytes(4).toString("hex");

export interface LineFigures {
  description: string;
  quantity: string;
  unitPrice: string;
  amount: string;
}

/**
 * A finalized invoice as invoicing leaves it (a tenant, its subscription, the invoice and its lines),
 * written directly so these tests depend only on the rows the Stripe sync reads.
 */
export async function aFinalizedInvoice(
  db: Database,
  {
    currency = "USD",
    lines = [{ description: "Platform fee", quantity: "1", unitPrice: "31", amount: "31" }],
    periodStart = new Date("2026-09-01T00:00:00Z"),
    periodEnd = new Date("2026-10-01T00:00:00Z"),
    tenantId,
  }: {
    currency?: string;
    lines?: LineFigures[];
    periodStart?: Date;
    periodEnd?: Date;
    tenantId?: string;
  } = {},
) {
  const tenant = tenantId
    ? await db.prisma.tenant.findUniqueOrThrow({ where: { id: tenantId } })
    : await aTenant(db, { currency });
  const plan = await db.prisma.plan.create({
    data: { code: `plan-${unique()}`, name: "Metered", versions: { create: { version: 1, currency } } },
    include: { versions: true },
  });
  const subscription = await db.prisma.subscription.create({
    data: {
      tenantId: tenant.id,
      planVersionId: plan.versions[0]?.id as string,
      startAt: periodStart,
      billingAnchor: periodStart,
      endAt: periodEnd,
    },
  });
  const total = lines.reduce((sum, line) => sum.plus(line.amount), new Dec(0)).toFixed(6);
  const invoice = await db.prisma.invoice.create({
    data: {
      tenantId: tenant.id,
      subscriptionId: subscription.id,
      status: "finalized",
      number: `MP-${unique()}`,
      currency,
      periodStart,
      periodEnd,
      subtotal: total,
      total,
      ratingHash: unique(),
      ratedAt: periodEnd,
      finalizedAt: periodEnd,
      lines: { create: lines.map((line, position) => ({ position, ...line })) },
    },
  });
  return { tenant, subscription, invoice };
}

/** The official SDK pointed at the double, as the worker configures it. */
export function stripeClientFor(double: StripeDouble, timeoutMs = 20_000): Stripe {
  return createStripeClient(
    stripeConfig({
      NODE_ENV: "test",
      STRIPE_SECRET_KEY: "sk_test_double",
      STRIPE_API_HOST: double.host,
      STRIPE_API_PORT: String(double.port),
      STRIPE_API_PROTOCOL: "http",
      STRIPE_TIMEOUT_MS: String(timeoutMs),
    }),
  ) as Stripe;
}

const stripeStatusOf = { finalized: "open", paid: "paid", void: "void", uncollectible: "uncollectible" };

/**
 * Our ledger and the double's state of one invoice, side by side in Stripe's terms: status, total, line
 * amounts, credit notes, and the customer's name and email. A test expects the two to be equal.
 */
export async function ledgerAndStripe(
  db: Database,
  double: StripeDouble,
  tenantId: string,
  invoiceId: string,
) {
  const invoice = await db.prisma.invoice.findUniqueOrThrow({
    where: { tenantId_id: { tenantId, id: invoiceId } },
    include: {
      lines: { orderBy: { position: "asc" } },
      creditNotes: { orderBy: { createdAt: "asc" } },
      tenant: true,
      stripe: true,
    },
  });
  const ours = {
    status: invoice.status === "draft" ? null : stripeStatusOf[invoice.status],
    total: toStripeAmount(invoice.total, invoice.currency),
    lines: invoice.lines.map((line) => toStripeAmount(line.amount, invoice.currency)),
    creditNotes: invoice.creditNotes.map((note) => ({
      id: note.id,
      amount: toStripeAmount(note.amount, invoice.currency),
    })),
    customer: { name: invoice.tenant.name, email: invoice.tenant.email },
  };
  const remote = [...double.store.invoices.values()].filter(
    (i) => (i.metadata as Record<string, string>).meterplane_invoice_id === invoiceId,
  );
  if (remote.length > 1) throw new Error(`Stripe holds ${remote.length} invoices for ${invoiceId}`);
  const [stripeInvoice] = remote;
  const customer = stripeInvoice ? double.store.customer(String(stripeInvoice.customer)) : undefined;
  const theirs = stripeInvoice && {
    status: String(stripeInvoice.status),
    total: Number(stripeInvoice.total),
    lines: stripeInvoice.lines.data.map((line) => Number(line.amount)),
    creditNotes: [...double.store.creditNotes.values()]
      .filter((note) => note.invoice === stripeInvoice.id)
      .map((note) => ({
        id: (note.metadata as Record<string, string>).meterplane_credit_note_id,
        amount: Number(note.total),
      })),
    customer: { name: customer?.name, email: customer?.email },
  };
  return { ours, theirs, sync: invoice.stripe };
}
