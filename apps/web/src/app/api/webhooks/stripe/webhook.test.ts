import { randomBytes } from "node:crypto";
import { aFinalizedInvoice } from "@meterplane/stripe/test";
import { type RunningProcess, serviceEnv, startWeb, useTestDatabase } from "@meterplane/testing";
import Stripe from "stripe";
import { afterAll, beforeAll, describe, expect, it } from "vitest";

// biome-ignore lint/correctness/useHookAtTopLevel: a vitest helper named like a hook, not a React hook.
const t = useTestDatabase();
const secret = `whsec_${randomBytes(16).toString("hex")}`;
let web: RunningProcess & { url: string };

beforeAll(async () => {
  web = await startWeb(serviceEnv(t, { STRIPE_SECRET_KEY: "sk_test_double", STRIPE_WEBHOOK_SECRET: secret }));
});
afterAll(async () => {
  await web?.stop();
});

/** A finalized invoice already in Stripe (as the sync leaves it), and the id Stripe knows it by. */
async function aSyncedInvoice() {
  const { tenant, invoice } = await aFinalizedInvoice(t.db);
  const stripeInvoiceId = `in_${randomBytes(8).toString("hex")}`;
  await t.db.prisma.stripeInvoice.create({
    data: {
      tenantId: tenant.id,
      invoiceId: invoice.id,
      stripeInvoiceId,
      state: "finalized",
      stripeStatus: "open",
    },
  });
  return { tenant, invoice, stripeInvoiceId };
}

function anEvent(type: string, stripeInvoiceId: string, status: string) {
  return JSON.stringify({
    id: `evt_${randomBytes(8).toString("hex")}`,
    object: "event",
    api_version: Stripe.API_VERSION,
    created: Math.floor(Date.now() / 1000),
    livemode: false,
    pending_webhooks: 1,
    request: { id: null, idempotency_key: null },
    type,
    data: { object: { id: stripeInvoiceId, object: "invoice", status, metadata: {} } },
  });
}

function deliver(payload: string, signature = Stripe.webhooks.generateTestHeaderString({ payload, secret })) {
  return fetch(`${web.url}/api/webhooks/stripe`, {
    method: "POST",
    headers: { "content-type": "application/json", "stripe-signature": signature },
    body: payload,
  });
}

const stateOf = async (tenantId: string, invoiceId: string) => ({
  invoice: await t.db.prisma.invoice.findUniqueOrThrow({
    where: { tenantId_id: { tenantId, id: invoiceId } },
  }),
  audits: await t.db.prisma.auditLog.count({
    where: { entityId: invoiceId, action: { startsWith: "stripe." } },
  }),
  events: await t.db.prisma.stripeEvent.count(),
});

describe("POST /api/webhooks/stripe", () => {
  it("refuses a bad signature with 400 and changes nothing", async () => {
    const { tenant, invoice, stripeInvoiceId } = await aSyncedInvoice();
    const payload = anEvent("invoice.paid", stripeInvoiceId, "paid");
    const before = await stateOf(tenant.id, invoice.id);
    const forged = Stripe.webhooks.generateTestHeaderString({ payload, secret: "whsec_not_ours" });
    for (const signature of [forged, "t=1,v1=deadbeef", ""]) {
      const response = await deliver(payload, signature);
      expect(response.status).toBe(400);
      expect((await response.json()).error.code).toBe("BAD_REQUEST");
    }
    // The right signature over other bytes is still wrong.
    const tampered = await deliver(
      payload.replace('"paid"', '"void"'),
      Stripe.webhooks.generateTestHeaderString({ payload, secret }),
    );
    expect(tampered.status).toBe(400);
    expect(await stateOf(tenant.id, invoice.id)).toEqual(before);
  });

  it("marks the invoice paid once, with an audit row, however often the event is replayed", async () => {
    const { tenant, invoice, stripeInvoiceId } = await aSyncedInvoice();
    const payload = anEvent("invoice.paid", stripeInvoiceId, "paid");
    const first = await deliver(payload);
    expect(await first.json()).toEqual({ received: true, outcome: "applied" });
    const after = await stateOf(tenant.id, invoice.id);
    expect(after.invoice.status).toBe("paid");
    expect(after.invoice.paidAt).not.toBeNull();
    expect(after.audits).toBe(1);

    for (let i = 0; i < 3; i++) {
      const replay = await deliver(payload);
      expect(replay.status).toBe(200);
      expect(await replay.json()).toEqual({ received: true, outcome: "duplicate" });
    }
    expect(await stateOf(tenant.id, invoice.id)).toEqual(after);
  });

  it("voids, marks uncollectible and notes failed payments", async () => {
    const voided = await aSyncedInvoice();
    await deliver(anEvent("invoice.voided", voided.stripeInvoiceId, "void"));
    const lost = await aSyncedInvoice();
    await deliver(anEvent("invoice.marked_uncollectible", lost.stripeInvoiceId, "uncollectible"));
    const declined = await aSyncedInvoice();
    await deliver(anEvent("invoice.payment_failed", declined.stripeInvoiceId, "open"));

    expect((await stateOf(voided.tenant.id, voided.invoice.id)).invoice).toMatchObject({ status: "void" });
    expect((await stateOf(lost.tenant.id, lost.invoice.id)).invoice).toMatchObject({
      status: "uncollectible",
    });
    const still = await stateOf(declined.tenant.id, declined.invoice.id);
    expect(still.invoice.status).toBe("finalized");
    expect(still.audits).toBe(1);
    const sync = await t.db.prisma.stripeInvoice.findUniqueOrThrow({
      where: { stripeInvoiceId: declined.stripeInvoiceId },
    });
    expect(sync.paymentFailedAt).not.toBeNull();
  });

  it("acknowledges an event it does not handle", async () => {
    const response = await deliver(anEvent("customer.created", "cus_x", "active"));
    expect(response.status).toBe(200);
    expect(await response.json()).toEqual({ received: true, outcome: "ignored" });
  });
});
