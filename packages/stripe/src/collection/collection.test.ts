import { createServer, type Server } from "node:http";
import type { AddressInfo } from "node:net";
import { createLogger } from "@meterplane/core";
import { systemActor } from "@meterplane/db";
import { useTestDatabase } from "@meterplane/testing";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { type StripeDouble, startStripeDouble } from "../double/index.ts";
import { syncInvoiceToStripe } from "../sync/sync-invoice-to-stripe.ts";
import { aFinalizedInvoice, ledgerAndStripe, stripeClientFor } from "../test/factories.ts";
import { applyStripeEvent } from "../webhooks/apply-stripe-event.ts";
import { verifyStripeWebhook } from "../webhooks/verify-stripe-webhook.ts";
import { setStripeCollection } from "./set-stripe-collection.ts";

const database = useTestDatabase();
const secret = "whsec_double";
let double: StripeDouble;
let receiver: Server;
const received: string[] = [];

beforeAll(async () => {
  // What the web app's webhook route does: verify the signature, apply the event.
  receiver = createServer((req, res) => {
    const chunks: Buffer[] = [];
    req.on("data", (c: Buffer) => chunks.push(c));
    req.on("end", () => {
      const event = verifyStripeWebhook({
        payload: Buffer.concat(chunks),
        signature: req.headers["stripe-signature"] as string,
        secret,
      });
      applyStripeEvent({ db: database.db, event, log: createLogger("stripe-webhook-test") })
        .then((outcome) => {
          received.push(`${event.type}:${outcome}`);
          res.end("ok");
        })
        .catch(() => res.writeHead(500).end());
    });
  });
  await new Promise<void>((resolve) => receiver.listen(0, "127.0.0.1", resolve));
  const { port } = receiver.address() as AddressInfo;
  double = await startStripeDouble({ webhook: { url: `http://127.0.0.1:${port}/`, secret } });
});
afterAll(async () => {
  await double?.close();
  receiver?.close();
});

describe("collection by Stripe", () => {
  it("charges automatically only with a default payment method; a failed charge, then a paid one, reach our ledger by webhook", async () => {
    const { db } = database;
    const stripe = stripeClientFor(double);
    const first = await aFinalizedInvoice(db);
    const tenantId = first.tenant.id;
    const sync = (invoiceId: string) => syncInvoiceToStripe({ db, stripe, tenantId, invoiceId });
    await sync(first.invoice.id);
    const set = () =>
      setStripeCollection({ db, stripe, tenantId, actor: systemActor, method: "charge_automatically" });
    await expect(set()).rejects.toMatchObject({ code: "CONFLICT" });

    const customer = await db.prisma.stripeCustomer.findUniqueOrThrow({ where: { tenantId } });
    double.setDefaultPaymentMethod(customer.stripeCustomerId, "declines");
    await set();
    const second = await aFinalizedInvoice(db, { tenantId, periodStart: new Date("2026-10-01T00:00:00Z") });
    const synced = await sync(second.invoice.id);
    expect(synced.collectionMethod).toBe("charge_automatically");
    const remote = double.store.invoice(synced.stripeInvoiceId as string);
    expect(remote).toMatchObject({
      collection_method: "charge_automatically",
      auto_advance: true,
      due_date: null,
    });

    // Stripe's first attempt, an hour after finalizing: declined.
    double.advanceClock(3601);
    await double.webhooksDelivered();
    let row = await db.prisma.stripeInvoice.findUniqueOrThrow({
      where: { tenantId_invoiceId: { tenantId, invoiceId: second.invoice.id } },
      include: { invoice: true },
    });
    expect(row.paymentFailedAt).not.toBeNull();
    expect(row.invoice.status).toBe("finalized");

    // The tenant fixes its card; Stripe's retry three days later pays.
    double.setDefaultPaymentMethod(customer.stripeCustomerId, "succeeds");
    double.advanceClock(3 * 86400);
    await double.webhooksDelivered();
    row = await db.prisma.stripeInvoice.findUniqueOrThrow({
      where: { tenantId_invoiceId: { tenantId, invoiceId: second.invoice.id } },
      include: { invoice: true },
    });
    expect(row).toMatchObject({ stripeStatus: "paid", mirroredStatus: "paid", invoice: { status: "paid" } });
    expect(received).toEqual(
      expect.arrayContaining([
        "invoice.finalized:ignored",
        "invoice.payment_failed:applied",
        "invoice.paid:applied",
      ]),
    );
    // Paid by Stripe itself: nothing to carry back.
    const before = double.requests.length;
    await sync(second.invoice.id);
    expect(double.requests.length).toBe(before);
    const { ours, theirs } = await ledgerAndStripe(db, double, tenantId, second.invoice.id);
    expect(theirs).toEqual(ours);
  });
});
