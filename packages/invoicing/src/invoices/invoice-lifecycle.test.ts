import { randomBytes } from "node:crypto";
import { systemActor as actor } from "@meterplane/db";
import { useTestDatabase } from "@meterplane/testing";
import { describe, expect, it } from "vitest";
import { cancelSubscription } from "../subscriptions/cancel-subscription.ts";
import { aSubscribedTenant, someMetrics, someUsage, utc } from "../test/factories.ts";
import { finalizeInvoice } from "./finalize-invoice.ts";
import { issueCreditNote } from "./issue-credit-note.ts";
import { markInvoicePaid } from "./mark-invoice-paid.ts";
import { previewReRate } from "./preview-re-rate.ts";
import { rateSubscriptionPeriod } from "./rate-subscription-period.ts";
import { runInvoicing } from "./run-invoicing.ts";
import { voidInvoice } from "./void-invoice.ts";

const t = useTestDatabase();
const march = utc("2024-03-01T00:00:00");
const april = utc("2024-04-01T00:00:00");

/** A March draft of 31.00 (flat) + 12.5 core-hours × 0.05 = 0.63 → 31.63. */
async function aMarchDraft() {
  const metrics = await someMetrics(t.db);
  const subscribed = await aSubscribedTenant(t.db, {
    startAt: march,
    version: {
      currency: "USD",
      charges: [
        { name: "Platform fee", model: "flat", properties: { amount: "31" } },
        { metric: metrics.cpu.code, model: "per_unit", properties: { unitPrice: "0.05" } },
      ],
    },
  });
  const { tenant, environment, subscription } = subscribed;
  await someUsage(t.db, tenant.id, environment.id, [
    { meter: "cpu", bucketStart: utc("2024-03-02T00:00:00"), sum: "45000" },
  ]);
  const { invoice } = await rateSubscriptionPeriod({
    db: t.db,
    tenantId: tenant.id,
    subscriptionId: subscription.id,
    actor,
    at: march,
  });
  return { ...subscribed, invoice, tenantId: tenant.id };
}

/** `aMarchDraft`, its subscription canceled at `at` to end at `endAt`. */
async function aMarchDraftCanceled(at: string, endAt: string) {
  const drafted = await aMarchDraft();
  await cancelSubscription({
    db: t.db,
    actor,
    tenantId: drafted.tenantId,
    subscriptionId: drafted.subscription.id,
    at: utc(at),
    endAt: utc(endAt),
  });
  return drafted;
}

/** Each invoice of the tenant, by period: its month, status and total. */
async function invoicesOf(tenantId: string) {
  const invoices = await t.db.prisma.invoice.findMany({
    where: { tenantId },
    orderBy: { periodStart: "asc" },
  });
  return invoices.map((i) => [i.periodStart.toISOString().slice(0, 7), i.status, i.total.toFixed(2)]);
}

const issuer = () => `T${randomBytes(4).toString("hex")}`;
const numbered = (issuer: string, n: number, kind = "INV") =>
  `${kind}-${issuer}-${String(n).padStart(6, "0")}`;

describe("finalizing invoices", () => {
  it("finalizes the same period once, however many times and however concurrently it is asked", async () => {
    const { tenantId, invoice, subscription } = await aMarchDraft();
    const own = issuer();
    const results = await Promise.all(
      Array.from({ length: 10 }, () =>
        finalizeInvoice({ db: t.db, tenantId, invoiceId: invoice.id, actor, at: april, issuer: own }),
      ),
    );
    expect(new Set(results.map((r) => r.number))).toEqual(new Set([numbered(own, 1)]));
    await runInvoicing({ db: t.db, at: utc("2024-04-02T00:00:00"), issuer: own });
    const march = await t.db.prisma.invoice.findMany({
      where: { tenantId, subscriptionId: subscription.id, periodStart: invoice.periodStart },
    });
    expect(march.map((i) => [i.status, i.number, i.ratingHash])).toEqual([
      ["finalized", numbered(own, 1), invoice.ratingHash],
    ]);
    const audit = await t.db.prisma.auditLog.count({
      where: { entityId: invoice.id, action: "invoice.finalized" },
    });
    expect(audit).toBe(1);
  });

  it("numbers invoices without gaps under concurrent finalization, refusals included", async () => {
    const own = issuer();
    const drafts = [];
    for (let i = 0; i < 12; i++) drafts.push(await aMarchDraft());
    const open = await aMarchDraft(); // March is still open on Mar 15: refused, its number not taken
    const attempts = [...drafts, open].map(({ tenantId, invoice }, i) =>
      finalizeInvoice({
        db: t.db,
        tenantId,
        invoiceId: invoice.id,
        actor,
        issuer: own,
        at: i === drafts.length ? utc("2024-03-15T00:00:00") : april,
      }),
    );
    const settled = await Promise.allSettled(attempts);
    expect(
      settled.filter((s) => s.status === "rejected").map((s) => (s as PromiseRejectedResult).reason.code),
    ).toEqual(["INVOICE_PERIOD_OPEN"]);
    const numbers = settled.flatMap((s) => (s.status === "fulfilled" ? [s.value.number] : [])).sort();
    expect(numbers).toEqual(Array.from({ length: 12 }, (_, i) => numbered(own, i + 1)));
  });

  it("keeps numbers gapless when invoice runs and single finalizations race", async () => {
    const own = issuer();
    const drafts: Awaited<ReturnType<typeof aMarchDraft>>[] = [];
    for (let i = 0; i < 6; i++) drafts.push(await aMarchDraft());
    const run = () => runInvoicing({ db: t.db, at: utc("2024-04-02T00:00:00"), issuer: own });
    const single = ({ tenantId, invoice }: (typeof drafts)[number]) =>
      finalizeInvoice({ db: t.db, tenantId, invoiceId: invoice.id, actor, at: april, issuer: own });
    await Promise.all([run(), single(drafts[0]!), run(), single(drafts[5]!)]);
    const numbers = (await t.db.prisma.invoice.findMany({ where: { number: { startsWith: `INV-${own}-` } } }))
      .map((i) => i.number)
      .sort();
    expect(numbers.length).toBeGreaterThanOrEqual(6);
    expect(numbers).toEqual(Array.from({ length: numbers.length }, (_, i) => numbered(own, i + 1)));
    const mine = await t.db.prisma.invoice.findMany({
      where: { id: { in: drafts.map((d) => d.invoice.id) } },
    });
    expect(mine.every((i) => i.status === "finalized" && i.number?.startsWith(`INV-${own}-`))).toBe(true);
  });

  it("lets invoice runs race over many drafts without deadlocking", async () => {
    // Each run re-rates every open draft (locking it) and then finalizes them: both must take rows in one order.
    const own = issuer();
    const drafts = [];
    for (let i = 0; i < 40; i++) drafts.push(await aMarchDraft());
    const run = () => runInvoicing({ db: t.db, at: utc("2024-04-02T00:00:00"), issuer: own });
    await Promise.all([run(), run(), run()]);
    const mine = await t.db.prisma.invoice.findMany({
      where: { id: { in: drafts.map((d) => d.invoice.id) } },
    });
    expect(mine.filter((i) => i.status === "finalized")).toHaveLength(40);
  });

  it("closes ended periods in the invoice run and drafts the current one", async () => {
    const { tenantId, subscription } = await aMarchDraft();
    const own = issuer();
    const run = await runInvoicing({ db: t.db, at: utc("2024-04-02T00:00:00"), issuer: own });
    expect(run.finalized.filter((f) => f.tenantId === tenantId)).toMatchObject([
      // The run closes every subscription's March, other tests' too: whichever number, in this issuer's series.
      { number: expect.stringMatching(new RegExp(`^INV-${own}-\\d{6}$`)), total: "31.63" },
    ]);
    const invoices = await t.db.prisma.invoice.findMany({
      where: { tenantId, subscriptionId: subscription.id },
      orderBy: { periodStart: "asc" },
    });
    expect(invoices.map((i) => [i.periodStart, i.status, i.total.toFixed(2)])).toEqual([
      [march, "finalized", "31.63"],
      [april, "draft", "31.00"],
    ]);
    const again = await runInvoicing({ db: t.db, at: utc("2024-04-02T00:00:00"), issuer: own });
    expect(again.finalized.filter((f) => f.tenantId === tenantId)).toEqual([]);
  });

  it("closes a draft left open by runs that did not happen, as well as the last period", async () => {
    const { tenantId, subscription } = await aMarchDraft();
    // The March draft exists; no run happened at the start of April or May.
    await runInvoicing({ db: t.db, at: utc("2024-05-02T00:00:00"), issuer: issuer() });
    const invoices = await t.db.prisma.invoice.findMany({
      where: { tenantId, subscriptionId: subscription.id },
      orderBy: { periodStart: "asc" },
    });
    expect(invoices.map((i) => [i.periodStart.toISOString().slice(0, 7), i.status])).toEqual([
      ["2024-03", "finalized"],
      ["2024-04", "finalized"],
      ["2024-05", "draft"],
    ]);
  });

  it("invoices every period the runs missed, each once", async () => {
    const { tenantId } = await aMarchDraft();
    const own = issuer();
    await runInvoicing({ db: t.db, at: utc("2024-04-02T00:00:00"), issuer: own });
    // No run at the start of May, June or July: April's draft is left open, May and June have no invoice.
    const run = await runInvoicing({ db: t.db, at: utc("2024-07-02T00:00:00"), issuer: own });
    expect(run.finalized.filter((f) => f.tenantId === tenantId).map((f) => f.total)).toEqual([
      "31",
      "31",
      "31",
    ]);
    const invoiced = await invoicesOf(tenantId);
    expect(invoiced).toEqual([
      ["2024-03", "finalized", "31.63"],
      ["2024-04", "finalized", "31.00"],
      ["2024-05", "finalized", "31.00"],
      ["2024-06", "finalized", "31.00"],
      ["2024-07", "draft", "31.00"],
    ]);
    const again = await runInvoicing({ db: t.db, at: utc("2024-07-03T00:00:00"), issuer: own });
    expect(again.finalized.filter((f) => f.tenantId === tenantId)).toEqual([]);
    expect(await invoicesOf(tenantId)).toEqual(invoiced);
  });

  it("closes a draft whose period no longer lines up with its subscription's, as last rated", async () => {
    const { tenantId, invoice } = await aMarchDraft();
    // As a move to a plan of another interval leaves it: a draft over a period the subscription no longer has.
    await t.db.prisma.invoice.update({
      where: { tenantId_id: { tenantId, id: invoice.id } },
      data: { periodStart: utc("2024-02-15T00:00:00"), periodEnd: utc("2024-03-15T00:00:00") },
    });
    await runInvoicing({ db: t.db, at: utc("2024-04-02T00:00:00"), issuer: issuer() });
    expect(await invoicesOf(tenantId)).toEqual([
      ["2024-02", "finalized", "31.63"],
      ["2024-03", "finalized", "31.63"],
      ["2024-04", "draft", "31.00"],
    ]);
  });

  it("never invoices a voided period again", async () => {
    const { tenantId, invoice } = await aMarchDraft();
    await runInvoicing({ db: t.db, at: utc("2024-04-02T00:00:00"), issuer: issuer() });
    await voidInvoice({ db: t.db, tenantId, invoiceId: invoice.id, actor });
    const run = await runInvoicing({ db: t.db, at: utc("2024-05-02T00:00:00"), issuer: issuer() });
    expect(run.finalized.filter((f) => f.tenantId === tenantId)).toHaveLength(1);
    expect(await invoicesOf(tenantId)).toEqual([
      ["2024-03", "void", "31.63"],
      ["2024-04", "finalized", "31.00"],
      ["2024-05", "draft", "31.00"],
    ]);
  });

  it("invoices the missed periods of an ended subscription up to its end and none after", async () => {
    // Ends May 16 00:00: 15 of May's 31 days of the 31.00 fee. No run happened since March.
    const { tenantId } = await aMarchDraftCanceled("2024-05-10T00:00:00", "2024-05-16T00:00:00");
    await runInvoicing({ db: t.db, at: utc("2024-08-02T00:00:00"), issuer: issuer() });
    await runInvoicing({ db: t.db, at: utc("2024-09-02T00:00:00"), issuer: issuer() });
    expect(await invoicesOf(tenantId)).toEqual([
      ["2024-03", "finalized", "31.63"],
      ["2024-04", "finalized", "31.00"],
      ["2024-05", "finalized", "15.00"],
    ]);
  });

  it("prorates the last period of a canceled subscription and invoices nothing after it", async () => {
    // Ends Mar 16 00:00: 15 of 31 days of the 31.00 fee = 15.00, plus the usage of Mar 2 (0.63).
    const { tenantId } = await aMarchDraftCanceled("2024-03-10T00:00:00", "2024-03-16T00:00:00");
    await runInvoicing({ db: t.db, at: utc("2024-04-02T00:00:00"), issuer: issuer() });
    const invoices = await t.db.prisma.invoice.findMany({
      where: { tenantId },
      include: { lines: { orderBy: { position: "asc" } } },
    });
    expect(invoices.map((i) => [i.status, i.total.toFixed(2)])).toEqual([["finalized", "15.63"]]);
    expect(invoices[0]?.lines[0]?.description).toBe("Platform fee, prorated 15 of 31 days");
  });
});

describe("after finalization", () => {
  it("previews a re-rate of a closed period without changing it", async () => {
    const { tenantId, invoice, environment } = await aMarchDraft();
    await finalizeInvoice({ db: t.db, tenantId, invoiceId: invoice.id, actor, at: april, issuer: issuer() });
    expect(await previewReRate({ db: t.db, tenantId, invoiceId: invoice.id })).toMatchObject({
      identical: true,
      difference: "0",
    });
    // 3600 late core-seconds: 13.5 core-hours × 0.05 = 0.675 → 0.68, 0.05 more
    await someUsage(t.db, tenantId, environment.id, [
      { meter: "cpu", bucketStart: utc("2024-03-31T23:00:00"), sum: "3600" },
    ]);
    const preview = await previewReRate({ db: t.db, tenantId, invoiceId: invoice.id });
    expect(preview).toMatchObject({
      identical: false,
      totalBefore: "31.63",
      totalAfter: "31.68",
      difference: "0.05",
    });
    expect(preview.lines[1]).toMatchObject({
      before: { quantity: "12.5", amount: "0.63" },
      after: { quantity: "13.5", amount: "0.68" },
      difference: "0.05",
    });
    const stored = await t.db.prisma.invoice.findUniqueOrThrow({
      where: { tenantId_id: { tenantId, id: invoice.id } },
    });
    expect([stored.total.toFixed(2), stored.ratingHash]).toEqual(["31.63", invoice.ratingHash]);
  });

  it("issues credit notes up to what remains of the invoice, never more", async () => {
    const { tenantId, invoice } = await aMarchDraft();
    const credit = (amount: string) =>
      issueCreditNote({
        db: t.db,
        tenantId,
        invoiceId: invoice.id,
        amount,
        reason: "outage",
        actor,
        issuer: own,
      });
    const own = issuer();
    await expect(credit("1")).rejects.toMatchObject({ code: "INVOICE_NOT_FINALIZED" });
    await finalizeInvoice({ db: t.db, tenantId, invoiceId: invoice.id, actor, at: april, issuer: own });
    expect((await credit("20")).number).toBe(numbered(own, 1, "CN"));
    await expect(credit("11.64")).rejects.toMatchObject({ code: "CREDIT_EXCEEDS_INVOICE" });
    await expect(credit("0.005")).rejects.toMatchObject({ code: "VALIDATION_FAILED" });
    await expect(credit("0")).rejects.toMatchObject({ code: "VALIDATION_FAILED" });
    expect((await credit("11.63")).number).toBe(numbered(own, 2, "CN"));
    await expect(credit("0.01")).rejects.toMatchObject({ code: "CREDIT_EXCEEDS_INVOICE" });
  });

  it("voids or marks paid only a finalized invoice, and keeps a final invoice immutable", async () => {
    const own = issuer();
    const a = await aMarchDraft();
    const b = await aMarchDraft();
    await expect(
      voidInvoice({ db: t.db, tenantId: a.tenantId, invoiceId: a.invoice.id, actor }),
    ).rejects.toMatchObject({ code: "INVOICE_NOT_FINALIZED" });
    await expect(
      finalizeInvoice({
        db: t.db,
        tenantId: a.tenantId,
        invoiceId: a.invoice.id,
        actor,
        issuer: own,
        at: utc("2024-03-31T23:59:59"),
      }),
    ).rejects.toMatchObject({ code: "INVOICE_PERIOD_OPEN" });
    for (const { tenantId, invoice } of [a, b])
      await finalizeInvoice({ db: t.db, tenantId, invoiceId: invoice.id, actor, issuer: own, at: april });
    expect(
      (await voidInvoice({ db: t.db, tenantId: a.tenantId, invoiceId: a.invoice.id, actor })).status,
    ).toBe("void");
    await expect(
      markInvoicePaid({ db: t.db, tenantId: a.tenantId, invoiceId: a.invoice.id, actor }),
    ).rejects.toMatchObject({ code: "INVOICE_NOT_FINALIZED" });
    await expect(
      finalizeInvoice({
        db: t.db,
        tenantId: a.tenantId,
        invoiceId: a.invoice.id,
        actor,
        issuer: own,
        at: april,
      }),
    ).rejects.toMatchObject({ code: "INVOICE_NOT_DRAFT" });
    const paid = await markInvoicePaid({ db: t.db, tenantId: b.tenantId, invoiceId: b.invoice.id, actor });
    expect(await markInvoicePaid({ db: t.db, tenantId: b.tenantId, invoiceId: b.invoice.id, actor })).toEqual(
      paid,
    );
    await expect(
      voidInvoice({ db: t.db, tenantId: b.tenantId, invoiceId: b.invoice.id, actor }),
    ).rejects.toMatchObject({ code: "INVOICE_NOT_FINALIZED" });
    // more usage for a finalized period: the draft path leaves the final invoice alone
    await someUsage(t.db, b.tenantId, b.environment.id, [
      { meter: "cpu", bucketStart: utc("2024-03-03T00:00:00"), sum: "3600" },
    ]);
    const { invoice, changed } = await rateSubscriptionPeriod({
      db: t.db,
      tenantId: b.tenantId,
      subscriptionId: b.subscription.id,
      actor,
      at: march,
    });
    expect([changed, invoice.status, invoice.total.toFixed(2)]).toEqual([false, "paid", "31.63"]);
  });
});
