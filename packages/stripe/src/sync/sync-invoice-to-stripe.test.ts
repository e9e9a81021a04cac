import { useTestDatabase } from "@meterplane/testing";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { type StripeDouble, startStripeDouble } from "../double/index.ts";
import { aFinalizedInvoice, ledgerAndStripe, stripeClientFor } from "../test/factories.ts";
import { stripeRetryAdvice } from "./stripe-retry-advice.ts";
import { syncInvoiceToStripe } from "./sync-invoice-to-stripe.ts";

const database = useTestDatabase();
let double: StripeDouble;
const client = (timeoutMs = 20_000) => stripeClientFor(double, timeoutMs);
const agree = async (tenantId: string, invoiceId: string) => {
  const { ours, theirs } = await ledgerAndStripe(database.db, double, tenantId, invoiceId);
  expect(theirs).toEqual(ours);
};

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
    expect(remote).toMatchObject({
      status: "open",
      total: 3163,
      currency: "usd",
      auto_advance: true,
      collection_method: "send_invoice",
      discounts: [],
    });
    expect(remote.lines.data.map((l) => [l.amount, l.description])).toEqual([
      [3100, "Platform fee: 1 × 31 USD"],
      [63, "CPU core-hours: 12.5 × 0.05 USD"],
    ]);
    const customer = await db.prisma.stripeCustomer.findUniqueOrThrow({ where: { tenantId: tenant.id } });
    expect(remote.customer).toBe(customer.stripeCustomerId);

    const before = double.requests.length;
    await syncInvoiceToStripe({ db, stripe: client(), tenantId: tenant.id, invoiceId: invoice.id });
    expect(double.requests.length).toBe(before);
    await agree(tenant.id, invoice.id);
  });

  it("sends ISK, JPY, KWD and USD amounts as Stripe's currency table reads them", async () => {
    const { db } = database;
    for (const [currency, amount, stripeAmount] of [
      ["ISK", "1234", 123400],
      ["JPY", "1234", 1234],
      ["KWD", "0.15", 150],
      ["USD", "12.34", 1234],
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
      expect(double.store.invoice(sync.stripeInvoiceId as string).total).toBe(stripeAmount);
      await agree(tenant.id, invoice.id);
    }
  });

  it("refuses an amount Stripe cannot represent before sending anything", async () => {
    const { db } = database;
    const { tenant, invoice } = await aFinalizedInvoice(db, {
      currency: "KWD",
      lines: [{ description: "CPU", quantity: "12.5", unitPrice: "0.0123", amount: "0.154" }],
    });
    const before = double.requests.length;
    await expect(
      syncInvoiceToStripe({ db, stripe: client(), tenantId: tenant.id, invoiceId: invoice.id }),
    ).rejects.toMatchObject({ code: "STRIPE_AMOUNT_UNREPRESENTABLE" });
    expect(double.requests.length).toBe(before);
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
    await agree(tenant.id, invoice.id);
  });

  it("finds the customer by our metadata after Stripe forgot the key, and creates no second one", async () => {
    const { db } = database;
    const { tenant, invoice } = await aFinalizedInvoice(db);
    // Stripe creates the customer, the answer is lost; a day later the key is forgotten.
    double.inject({ kind: "timeout", path: "^/v1/customers$", execute: true });
    await expect(
      syncInvoiceToStripe({ db, stripe: client(500), tenantId: tenant.id, invoiceId: invoice.id }),
    ).rejects.toThrow();
    double.advanceClock(25 * 3600);
    await db.prisma.tenant.update({ where: { id: tenant.id }, data: { name: "Renamed meanwhile" } });
    await syncInvoiceToStripe({ db, stripe: client(), tenantId: tenant.id, invoiceId: invoice.id });
    const customers = [...double.store.customers.values()].filter(
      (c) => (c.metadata as Record<string, string>).meterplane_tenant_id === tenant.id,
    );
    expect(customers).toHaveLength(1);
    expect(customers[0]?.name).toBe("Renamed meanwhile");
    await agree(tenant.id, invoice.id);
  });

  it("checks the total again before a retried finalize, and keeps the customer's coupon off", async () => {
    const { db } = database;
    const { tenant, invoice } = await aFinalizedInvoice(db);
    double.inject({ kind: "server_error", path: "/finalize$" });
    await expect(
      syncInvoiceToStripe({ db, stripe: client(), tenantId: tenant.id, invoiceId: invoice.id }),
    ).rejects.toThrow();
    const { sync } = await ledgerAndStripe(db, double, tenant.id, invoice.id);
    expect(sync).toMatchObject({ state: "lines_added", keyGeneration: 1 });
    // Meanwhile someone changes the draft in Stripe: the retry must not finalize it.
    const draft = double.store.invoice(sync?.stripeInvoiceId as string);
    draft.total = Number(draft.total) + 100;
    await expect(
      syncInvoiceToStripe({ db, stripe: client(), tenantId: tenant.id, invoiceId: invoice.id }),
    ).rejects.toMatchObject({ code: "CONFLICT", message: expect.stringContaining("differs from ours") });
    expect(draft.status).toBe("draft");
    // Put right in Stripe, the next retry finalizes under a fresh key (the 500 is replayed under the old one).
    draft.total = Number(draft.total) - 100;
    await syncInvoiceToStripe({ db, stripe: client(), tenantId: tenant.id, invoiceId: invoice.id });
    await agree(tenant.id, invoice.id);

    // A coupon on the customer stays off the tenant's next invoice.
    double.setCoupon(String(draft.customer), 50);
    const next = await aFinalizedInvoice(db, {
      tenantId: tenant.id,
      periodStart: new Date("2026-10-01T00:00:00Z"),
    });
    await syncInvoiceToStripe({ db, stripe: client(), tenantId: tenant.id, invoiceId: next.invoice.id });
    await agree(tenant.id, next.invoice.id);
  });
});
