import { useTestDatabase } from "@meterplane/testing";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { createStripeClient, stripeConfig } from "../config/stripe-config.ts";
import { type StripeDouble, startStripeDouble } from "../double/index.ts";
import { aFinalizedInvoice } from "../test/factories.ts";
import { stripeRetryAdvice } from "./stripe-retry-advice.ts";
import { syncInvoiceToStripe } from "./sync-invoice-to-stripe.ts";

const database = useTestDatabase();
let double: StripeDouble;
const client = (timeoutMs = 20_000) =>
  createStripeClient(
    stripeConfig({
      STRIPE_SECRET_KEY: "sk_test_double",
      STRIPE_API_HOST: double.host,
      STRIPE_API_PORT: String(double.port),
      STRIPE_API_PROTOCOL: "http",
      STRIPE_TIMEOUT_MS: String(timeoutMs),
    }),
  ) as NonNullable<ReturnType<typeof createStripeClient>>;

beforeAll(async () => {
  double = await startStripeDouble();
});
afterAll(() => double.close());

/** POSTs Stripe carried out for our invoice: answered, or (timeout with execute) carried out and never answered. */
const posts = (invoiceId: string) =>
  double.requests.filter(
    (r) =>
      r.method === "POST" &&
      !r.replayed &&
      (r.status === 200 || r.fault === "timeout") &&
      r.idempotencyKey?.includes(invoiceId),
  );

describe("syncInvoiceToStripe", () => {
  it("sends a finalized invoice once: customer, draft, lines in minor units, finalize", async () => {
    const { db } = database;
    const { tenant, invoice } = await aFinalizedInvoice(db, {
      lines: [
        { description: "Platform fee", quantity: "1", unitPrice: "31", amount: "31" },
        { description: "CPU core-hours", quantity: "12.5", unitPrice: "0.05", amount: "0.63" },
      ],
    });
    const sync = await syncInvoiceToStripe({
      db,
      stripe: client(),
      tenantId: tenant.id,
      invoiceId: invoice.id,
    });
    expect(sync.state).toBe("finalized");
    const remote = double.store.invoice(sync.stripeInvoiceId as string);
    expect(remote).toMatchObject({ status: "open", total: 3163, currency: "usd", auto_advance: true });
    expect(remote.lines.data.map((l) => [l.amount, l.description])).toEqual([
      [3100, "Platform fee: 1 × 31 USD"],
      [63, "CPU core-hours: 12.5 × 0.05 USD"],
    ]);
    const customer = await db.prisma.stripeCustomer.findUniqueOrThrow({ where: { tenantId: tenant.id } });
    expect(remote.customer).toBe(customer.stripeCustomerId);

    const before = double.requests.length;
    await syncInvoiceToStripe({ db, stripe: client(), tenantId: tenant.id, invoiceId: invoice.id });
    expect(double.requests.length).toBe(before);
  });

  it("rounds once to the currency's minor unit (JPY has none, KWD three)", async () => {
    const { db } = database;
    for (const [currency, amount, minor] of [
      ["JPY", "1234", 1234],
      ["KWD", "0.154", 154],
    ] as const) {
      const { tenant, invoice } = await aFinalizedInvoice(db, {
        currency,
        lines: [{ description: "CPU", quantity: "12.5", unitPrice: "0.0123", amount }],
      });
      const sync = await syncInvoiceToStripe({
        db,
        stripe: client(),
        tenantId: tenant.id,
        invoiceId: invoice.id,
      });
      expect(double.store.invoice(sync.stripeInvoiceId as string).total).toBe(minor);
    }
  });

  it("resumes after a lost finalize response without creating anything twice", async () => {
    const { db } = database;
    const { tenant, invoice } = await aFinalizedInvoice(db);
    // Stripe finalizes, the answer never arrives: the attempt fails with a connection error.
    double.inject({ kind: "timeout", path: "/finalize$", execute: true });
    const first = syncInvoiceToStripe({
      db,
      stripe: client(500),
      tenantId: tenant.id,
      invoiceId: invoice.id,
    });
    const error = await first.catch((e: unknown) => e);
    expect(stripeRetryAdvice(error).retry).toBe(true);
    const row = await db.prisma.stripeInvoice.findUniqueOrThrow({
      where: { tenantId_invoiceId: { tenantId: tenant.id, invoiceId: invoice.id } },
    });
    expect(row.state).toBe("lines_added");

    const sync = await syncInvoiceToStripe({
      db,
      stripe: client(),
      tenantId: tenant.id,
      invoiceId: invoice.id,
    });
    expect(sync.state).toBe("finalized");
    const created = posts(invoice.id).map((r) => r.path.replace(/in_\w+/, "in_*"));
    expect(created).toEqual(["/v1/invoices", "/v1/invoices/in_*/add_lines", "/v1/invoices/in_*/finalize"]);
    expect(
      [...double.store.invoices.values()].filter(
        (i) => (i.metadata as Record<string, string>).meterplane_invoice_id === invoice.id,
      ),
    ).toHaveLength(1);
  });

  it("honours 429 Retry-After and Stripe-Should-Retry in its advice", async () => {
    const { db } = database;
    const { tenant, invoice } = await aFinalizedInvoice(db);
    double.inject({ kind: "rate_limit", path: "^/v1/invoices$", retryAfterSeconds: 3 });
    const error = await syncInvoiceToStripe({
      db,
      stripe: client(),
      tenantId: tenant.id,
      invoiceId: invoice.id,
    }).catch((e: unknown) => e);
    expect(stripeRetryAdvice(error)).toEqual({ retry: true, delayMs: 3000 });
    double.inject({ kind: "server_error", path: "^/v1/invoices$", shouldRetry: false });
    const refused = await syncInvoiceToStripe({
      db,
      stripe: client(),
      tenantId: tenant.id,
      invoiceId: invoice.id,
    }).catch((e: unknown) => e);
    expect(stripeRetryAdvice(refused).retry).toBe(false);
    const sync = await syncInvoiceToStripe({
      db,
      stripe: client(),
      tenantId: tenant.id,
      invoiceId: invoice.id,
    });
    expect(sync).toMatchObject({ state: "finalized", attempts: 3 });
  });
});
