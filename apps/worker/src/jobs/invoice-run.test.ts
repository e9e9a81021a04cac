import { systemActor } from "@meterplane/db";
import { markInvoicePaid, voidInvoice } from "@meterplane/invoicing";
import { eventually, useTestDatabase } from "@meterplane/testing";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { flatFeeTenants, settledRun, startStripeStack, stripeSideOf } from "./invoice-run-fixture.ts";

const database = useTestDatabase();
let stack: Awaited<ReturnType<typeof startStripeStack>>;
beforeAll(async () => {
  stack = await startStripeStack(database);
}, 60_000);
afterAll(() => stack?.close());

describe("invoice runs into Stripe", () => {
  it("creates each invoice in Stripe once, however often the same run runs", async () => {
    await flatFeeTenants(database, 3, new Date("2026-09-01T00:00:00Z"));
    const at = new Date("2026-10-01T01:00:00Z");
    await stack.trigger(at);
    const first = await settledRun(database, at);
    expect(first).toMatchObject({
      status: "completed",
      total: 3,
      succeeded: 3,
      failed: 0,
      amounts: { USD: "93" },
    });

    await stack.trigger(at);
    await stack.trigger(at);
    await new Promise((r) => setTimeout(r, 3000));
    const again = await settledRun(database, at);
    expect(again).toMatchObject({ id: first.id, total: 3, succeeded: 3 });

    const stripe = stripeSideOf(stack.double);
    expect(stripe.byOurId.size).toBe(3);
    for (const [, side] of stripe.byOurId) expect(side).toEqual({ invoices: 1, status: ["open"] });
    expect(stripe.creates).toBe(3);
    expect(stripe.finalizes).toBe(3);
    // One customer per tenant, whatever the number of runs.
    expect(stack.double.store.customers.size).toBe(3);
  }, 90_000);

  it("ends with every invoice in Stripe once through injected 429s and 500s, and counts the retries", async () => {
    const before = stack.double.store.invoices.size;
    await flatFeeTenants(database, 4, new Date("2026-10-01T00:00:00Z"));
    stack.double.inject({ kind: "rate_limit", path: "^/v1/invoices$", times: 3, retryAfterSeconds: 1 });
    stack.double.inject({ kind: "server_error", path: "/add_lines$", times: 2 });
    stack.double.inject({
      kind: "rate_limit",
      path: "/finalize$",
      times: 2,
      retryAfterSeconds: 1,
      shouldRetry: true,
    });
    const at = new Date("2026-11-01T01:00:00Z");
    await stack.trigger(at);
    const run = await settledRun(database, at, 90_000);
    // The 3 earlier tenants' October invoices join this run too: 7 in all.
    expect(run).toMatchObject({ status: "completed", total: 7, succeeded: 7, failed: 0, retries: 7 });
    const stripe = stripeSideOf(stack.double);
    expect(stack.double.store.invoices.size - before).toBe(7);
    for (const [, side] of stripe.byOurId) expect(side.invoices).toBe(1);
    const faults = stack.double.requests.filter((r) => r.fault).length;
    expect(faults).toBe(7);
  }, 120_000);

  it("carries a void and a payment made here after the run to Stripe, without being asked", async () => {
    const { db } = database;
    const synced = await db.prisma.stripeInvoice.findMany({ where: { state: "finalized" }, take: 2 });
    const [toVoid, toPay] = synced;
    if (!toVoid || !toPay) throw new Error("the earlier runs left fewer than two invoices in Stripe");
    await voidInvoice({ db, tenantId: toVoid.tenantId, invoiceId: toVoid.invoiceId, actor: systemActor });
    await markInvoicePaid({ db, tenantId: toPay.tenantId, invoiceId: toPay.invoiceId, actor: systemActor });
    const statusOf = (id: string | null) => String(stack.double.store.invoice(id as string).status);
    await eventually(
      async () => statusOf(toVoid.stripeInvoiceId) === "void" && statusOf(toPay.stripeInvoiceId) === "paid",
      "the void and the payment to reach Stripe",
      20_000,
    );
    const mirrored = await db.prisma.stripeInvoice.findMany({
      where: { invoiceId: { in: [toVoid.invoiceId, toPay.invoiceId] } },
      orderBy: { mirroredStatus: "asc" },
    });
    expect(mirrored.map((m) => m.mirroredStatus).sort()).toEqual(["paid", "void"]);
  }, 60_000);
});
