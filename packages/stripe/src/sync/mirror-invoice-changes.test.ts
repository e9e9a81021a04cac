import { systemActor } from "@meterplane/db";
import { issueCreditNote, markInvoicePaid, voidInvoice } from "@meterplane/invoicing";
import { useTestDatabase } from "@meterplane/testing";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { type StripeDouble, startStripeDouble } from "../double/index.ts";
import { claimUnsyncedInvoices } from "../runs/claim-unsynced-invoices.ts";
import { aFinalizedInvoice, ledgerAndStripe, stripeClientFor } from "../test/factories.ts";
import { syncInvoiceToStripe } from "./sync-invoice-to-stripe.ts";

const database = useTestDatabase();
let double: StripeDouble;
beforeAll(async () => {
  double = await startStripeDouble();
});
afterAll(() => double.close());

const actor = systemActor;
async function synced(options: Parameters<typeof aFinalizedInvoice>[1] = {}) {
  const { db } = database;
  const { tenant, invoice } = await aFinalizedInvoice(db, options);
  const ids = { db, tenantId: tenant.id, invoiceId: invoice.id };
  const sync = (timeoutMs?: number) =>
    syncInvoiceToStripe({ ...ids, stripe: stripeClientFor(double, timeoutMs) });
  await sync();
  return { ...ids, sync };
}
async function expectAgreement(tenantId: string, invoiceId: string) {
  const { ours, theirs } = await ledgerAndStripe(database.db, double, tenantId, invoiceId);
  expect(theirs).toEqual(ours);
}
/** Carried-out POSTs of one kind for our invoice (a path suffix such as `/void`). */
const executed = (stripeInvoiceId: string, suffix: string) =>
  double.requests.filter(
    (r) =>
      r.method === "POST" &&
      !r.replayed &&
      r.path === `/v1/invoices/${stripeInvoiceId}${suffix}` &&
      (r.status === 200 || r.fault === "timeout"),
  ).length;

describe("mirroring our changes to Stripe", () => {
  it("voids in Stripe an invoice voided here after its sync, once, also when the answer was lost", async () => {
    const ids = await synced();
    await voidInvoice({ ...ids, actor });
    double.inject({ kind: "timeout", path: "/void$", execute: true });
    await expect(ids.sync(500)).rejects.toThrow();
    const sync = await ids.sync();
    expect(sync).toMatchObject({ mirroredStatus: "void", stripeStatus: "void" });
    await ids.sync();
    expect(executed(sync.stripeInvoiceId as string, "/void")).toBe(1);
    await expectAgreement(ids.tenantId, ids.invoiceId);
  });

  it("never creates an invoice voided before its sync ran", async () => {
    const { db } = database;
    const at = new Date("2027-01-01T00:00:00Z");
    const { tenant, invoice } = await aFinalizedInvoice(db, {
      periodStart: new Date("2026-11-01T00:00:00Z"),
      periodEnd: new Date("2026-12-01T00:00:00Z"),
    });
    const run = await db.prisma.invoiceRun.create({ data: { periodEnd: at } });
    expect(await claimUnsyncedInvoices({ db, runId: run.id, at })).toContainEqual({
      tenantId: tenant.id,
      invoiceId: invoice.id,
    });
    // Voided while its sync job waits in the queue: the job sends nothing.
    await voidInvoice({ db, tenantId: tenant.id, invoiceId: invoice.id, actor });
    const before = double.requests.length;
    const sync = await syncInvoiceToStripe({
      db,
      stripe: stripeClientFor(double),
      tenantId: tenant.id,
      invoiceId: invoice.id,
    });
    expect(sync.state).toBe("skipped");
    expect(double.requests.length).toBe(before);
    expect(await claimUnsyncedInvoices({ db, runId: run.id, at })).not.toContainEqual(
      expect.objectContaining({ invoiceId: invoice.id }),
    );
    const { theirs } = await ledgerAndStripe(db, double, tenant.id, invoice.id);
    expect(theirs).toBeUndefined();

    // Voided before any run claimed it for sync: never enqueued.
    const early = await aFinalizedInvoice(db, {
      periodStart: new Date("2026-11-01T00:00:00Z"),
      periodEnd: new Date("2026-12-01T00:00:00Z"),
    });
    await voidInvoice({ db, tenantId: early.tenant.id, invoiceId: early.invoice.id, actor });
    expect(await claimUnsyncedInvoices({ db, runId: run.id, at })).not.toContainEqual(
      expect.objectContaining({ invoiceId: early.invoice.id }),
    );
  });

  it("records an invoice marked paid here as paid out of band in Stripe", async () => {
    const ids = await synced();
    await markInvoicePaid({ ...ids, actor });
    const sync = await ids.sync();
    expect(sync).toMatchObject({ mirroredStatus: "paid", stripeStatus: "paid" });
    expect(double.store.invoice(sync.stripeInvoiceId as string)).toMatchObject({
      paid_out_of_band: true,
      amount_paid: 3100,
      amount_remaining: 0,
    });
    await expectAgreement(ids.tenantId, ids.invoiceId);
  });

  it("issues each credit note once with our amount, before and after payment", async () => {
    const ids = await synced({
      currency: "KWD",
      lines: [{ description: "Platform fee", quantity: "1", unitPrice: "12.5", amount: "12.5" }],
    });
    await issueCreditNote({ ...ids, actor, amount: "2.25", reason: "Outage on 3 September" });
    // Stripe creates it, the answer is lost: the retry finds it by our metadata.
    double.inject({ kind: "timeout", path: "^/v1/credit_notes$", execute: true });
    await expect(ids.sync(500)).rejects.toThrow();
    await ids.sync();
    const sync = await ids.sync();
    const stripeInvoice = double.store.invoice(sync.stripeInvoiceId as string);
    expect(stripeInvoice).toMatchObject({ status: "open", amount_remaining: 10250 });
    await expectAgreement(ids.tenantId, ids.invoiceId);

    await markInvoicePaid({ ...ids, actor });
    await ids.sync();
    await issueCreditNote({ ...ids, actor, amount: "0.5", reason: "Goodwill" });
    await ids.sync();
    const notes = [...double.store.creditNotes.values()].filter((n) => n.invoice === stripeInvoice.id);
    expect(notes.map((n) => [n.total, n.type, n.out_of_band_amount])).toEqual([
      [2250, "pre_payment", null],
      [500, "post_payment", 500],
    ]);
    expect(stripeInvoice).toMatchObject({ status: "paid", amount_paid: 10250 });
    await expectAgreement(ids.tenantId, ids.invoiceId);
  });
});
