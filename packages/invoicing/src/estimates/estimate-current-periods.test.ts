import { Dec } from "@meterplane/core";
import { systemActor as actor } from "@meterplane/db";
import { useTestDatabase } from "@meterplane/testing";
import { describe, expect, it } from "vitest";
import { runInvoicing } from "../invoices/run-invoicing.ts";
import type { PlanVersionInput } from "../plans/plan-version-input.ts";
import { cancelSubscription } from "../subscriptions/cancel-subscription.ts";
import { aSubscribedTenant, someMetrics, someUsage, utc } from "../test/factories.ts";
import { estimateCurrentPeriods } from "./estimate-current-periods.ts";
import { estimateOpenRevenue } from "./estimate-open-revenue.ts";

const t = useTestDatabase();
const march = utc("2024-03-01T00:00:00");
const april = utc("2024-04-01T00:00:00");
const lastMinuteOfMarch = utc("2024-03-31T23:59:00");

type Metrics = Awaited<ReturnType<typeof someMetrics>>;

/** The plans of this package's tests, one per shape of charge the invoice run knows. */
const plans: Record<string, (m: Metrics) => PlanVersionInput> = {
  "flat fee, per unit, graduated and peak (the worked example)": (m) => ({
    currency: "USD",
    charges: [
      { name: "Platform fee", model: "flat", properties: { amount: "49" } },
      { metric: m.cpu.code, model: "per_unit", properties: { unitPrice: "0.05" } },
      {
        metric: m.memory.code,
        model: "graduated",
        properties: {
          tiers: [
            { upTo: "2", unitPrice: "1" },
            { upTo: null, unitPrice: "0.5" },
          ],
        },
      },
      { metric: m.users.code, model: "per_unit", properties: { unitPrice: "2" } },
    ],
  }),
  "volume and package charges with free units and a charge minimum": (m) => ({
    currency: "EUR",
    charges: [
      {
        metric: m.cpu.code,
        model: "volume",
        freeUnits: "1",
        minimumAmount: "20",
        properties: {
          tiers: [
            { upTo: "10", unitPrice: "0.2" },
            { upTo: null, unitPrice: "0.1" },
          ],
        },
      },
      { metric: m.memory.code, model: "package", properties: { packageSize: "2", packagePrice: "3" } },
    ],
  }),
  "an invoice minimum above the usage": (m) => ({
    currency: "USD",
    invoiceMinimum: "100",
    charges: [
      { name: "Support", model: "flat", properties: { amount: "10" } },
      { metric: m.cpu.code, model: "per_unit", properties: { unitPrice: "0.05" } },
    ],
  }),
};

const marchUsage = [
  { meter: "cpu", bucketStart: utc("2024-03-01T10:00:00"), sum: "36000" },
  { meter: "cpu", bucketStart: utc("2024-03-20T05:00:00"), sum: "9000" },
  { meter: "memory", bucketStart: utc("2024-03-22T00:00:00"), integral: "7200000000000" },
  { meter: "memory", bucketStart: utc("2024-03-31T23:00:00"), integral: "3600000000000" },
  { meter: "concurrent_users", bucketStart: utc("2024-03-05T01:00:00"), max: "7" },
];

/** Lines as figures, decimals normalised: the estimate holds strings, the stored invoice Prisma decimals. */
const figures = (lines: { description: string; quantity: unknown; unitPrice: unknown; amount: unknown }[]) =>
  lines.map((l) => [
    l.description,
    ...[l.quantity, l.unitPrice, l.amount].map((d) => new Dec(String(d)).toFixed()),
  ]);

/** The final March invoice the invoice run writes once March has ended. */
async function marchInvoiceOf(subscriptionId: string) {
  await runInvoicing({ db: t.db, at: april, actor, issuer: `E${subscriptionId.slice(0, 6)}` });
  const invoice = await t.db.prisma.invoice.findFirstOrThrow({
    where: { subscriptionId, periodStart: { lt: april } },
    include: { lines: { orderBy: { position: "asc" } } },
  });
  expect(invoice.status).toBe("finalized");
  return invoice;
}

describe("estimating the current period", () => {
  for (const [shape, plan] of Object.entries(plans))
    for (const [start, end] of [
      [march, null],
      [utc("2024-03-11T00:00:00"), null], // started mid-period: fees prorated
      [march, utc("2024-03-21T00:00:00")], // canceled mid-period: fees prorated, later usage not billed
    ] as const)
      it(`equals the invoice at the period's end: ${shape}, ${start.toISOString().slice(5, 10)} to ${end?.toISOString().slice(5, 10) ?? "open"}`, async () => {
        const metrics = await someMetrics(t.db);
        const { tenant, environment, subscription } = await aSubscribedTenant(t.db, {
          version: plan(metrics),
          startAt: start,
          billingAnchor: march,
        });
        await someUsage(t.db, tenant.id, environment.id, marchUsage);
        if (end)
          await cancelSubscription({
            db: t.db,
            actor,
            tenantId: tenant.id,
            subscriptionId: subscription.id,
            at: start,
            endAt: end,
          });
        const [estimate, ...others] = await estimateCurrentPeriods({
          db: t.db,
          at: lastMinuteOfMarch,
          tenantId: tenant.id,
        });
        expect(others).toEqual([]);
        expect(estimate?.period).toEqual({ start: march, end: april });
        const invoice = await marchInvoiceOf(subscription.id);
        expect(figures(estimate!.lines)).toEqual(figures(invoice.lines));
        expect(new Dec(estimate!.total).eq(invoice.total.toFixed())).toBe(true);
        expect(Number(estimate!.total)).toBeGreaterThan(0);
      });

  it("counts a flat fee before any usage arrives, as the draft would", async () => {
    const metrics = await someMetrics(t.db);
    const { tenant } = await aSubscribedTenant(t.db, {
      version: plans["flat fee, per unit, graduated and peak (the worked example)"]!(metrics),
      startAt: march,
    });
    const [estimate] = await estimateCurrentPeriods({ db: t.db, at: march, tenantId: tenant.id });
    expect(estimate?.total).toBe("49.00");
    expect(estimate?.plan).toBe("Metered v1");
  });

  it("sums every open period per currency for the dashboard", async () => {
    const at = utc("2031-07-15T00:00:00");
    const metrics = await someMetrics(t.db);
    for (const amount of ["49", "11.5"])
      await aSubscribedTenant(t.db, {
        version: { currency: "CHF", charges: [{ name: "Fee", model: "flat", properties: { amount } }] },
        startAt: utc("2031-07-01T00:00:00"),
      });
    const { tenant, environment } = await aSubscribedTenant(t.db, {
      version: {
        currency: "JPY",
        charges: [{ metric: metrics.cpu.code, model: "per_unit", properties: { unitPrice: "98.7" } }],
      },
      startAt: utc("2031-07-01T00:00:00"),
    });
    await someUsage(t.db, tenant.id, environment.id, [
      { meter: "cpu", bucketStart: utc("2031-07-02T00:00:00"), sum: "45000" },
    ]);
    // Earlier tests' subscriptions are still open in July 2031: only the currencies added here are compared.
    const revenue = (await estimateOpenRevenue({ db: t.db, at })).filter((r) =>
      ["CHF", "JPY"].includes(r.currency),
    );
    expect(revenue).toEqual([
      { currency: "CHF", total: "60.50", periods: 2 },
      { currency: "JPY", total: "1234", periods: 1 },
    ]);
  });
});
