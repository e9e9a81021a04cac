import { estimateUsageCharges, loadRatingInputs, ratePeriod } from "@meterplane/billing";
import { systemActor as actor } from "@meterplane/db";
import { useTestDatabase } from "@meterplane/testing";
import { describe, expect, it } from "vitest";
import { createPlanVersion } from "../plans/create-plan-version.ts";
import { moveSubscription } from "../subscriptions/move-subscription.ts";
import { aSubscribedTenant, someMetrics, someUsage, utc } from "../test/factories.ts";
import { rateSubscriptionPeriod } from "./rate-subscription-period.ts";

const t = useTestDatabase();
const march = utc("2024-03-01T00:00:00");

const lineFigures = (
  lines: { description: string; quantity: unknown; unitPrice: unknown; amount: unknown }[],
) => lines.map((l) => [l.description, String(l.quantity), String(l.unitPrice), String(l.amount)]);

async function workedExample(startAt = march, billingAnchor?: Date) {
  const metrics = await someMetrics(t.db);
  const tenant = await aSubscribedTenant(t.db, {
    startAt,
    billingAnchor,
    version: {
      currency: "USD",
      charges: [
        { name: "Platform fee", model: "flat", properties: { amount: "31" } },
        { metric: metrics.cpu.code, model: "per_unit", properties: { unitPrice: "0.05" } },
        {
          metric: metrics.memory.code,
          model: "graduated",
          properties: {
            tiers: [
              { upTo: "2", unitPrice: "1" },
              { upTo: null, unitPrice: "0.5" },
            ],
          },
        },
        { metric: metrics.users.code, model: "per_unit", properties: { unitPrice: "2" } },
      ],
    },
  });
  return { ...tenant, metrics };
}

describe("rateSubscriptionPeriod", () => {
  it("stores the worked example from rollups to invoice lines, computed by hand", async () => {
    const { tenant, environment, subscription } = await workedExample();
    await someUsage(t.db, tenant.id, environment.id, [
      // 36 000 + 9 000 core-seconds = 12.5 core-hours × 0.05 = 0.625 → 0.63
      { meter: "cpu", bucketStart: utc("2024-03-01T10:00:00"), sum: "36000" },
      { meter: "cpu", bucketStart: utc("2024-03-20T05:00:00"), sum: "9000" },
      // 2 GB for an hour + 1 GB for an hour = 3 GB-hours: 2 × 1 + 1 × 0.5 = 2.50
      { meter: "memory", bucketStart: utc("2024-03-02T00:00:00"), integral: "7200000000000" },
      { meter: "memory", bucketStart: utc("2024-03-03T00:00:00"), integral: "3600000000000" },
      // peak of 7 users × 2 = 14.00
      { meter: "concurrent_users", bucketStart: utc("2024-03-05T01:00:00"), max: "7" },
      { meter: "concurrent_users", bucketStart: utc("2024-03-05T02:00:00"), max: "4" },
      // April: the next period
      { meter: "cpu", bucketStart: utc("2024-04-01T00:00:00"), sum: "3600" },
    ]);
    const { invoice } = await rateSubscriptionPeriod({
      db: t.db,
      tenantId: tenant.id,
      subscriptionId: subscription.id,
      actor,
      at: utc("2024-03-31T12:00:00"),
    });
    expect([invoice.status, invoice.periodStart, invoice.periodEnd]).toEqual([
      "draft",
      march,
      utc("2024-04-01T00:00:00"),
    ]);
    expect(lineFigures(invoice.lines)).toEqual([
      ["Platform fee", "1", "31", "31"],
      ["CPU core-hours: 12.5 × 0.05", "12.5", "0.05", "0.63"],
      ["Memory GB-hours: 3, graduated over 2 tier(s)", "3", "0.833333333333", "2.5"],
      ["Peak concurrent users: 7 × 2", "7", "2", "14"],
    ]);
    expect(invoice.total.toFixed(2)).toBe("48.13");
    expect(invoice.lines[2]?.tiers).toEqual([
      { from: "0", upTo: "2", quantity: "2", unitPrice: "1", flatFee: "0", amount: "2" },
      { from: "2", upTo: null, quantity: "1", unitPrice: "0.5", flatFee: "0", amount: "0.5" },
    ]);
    // CPU's two hours, on two days, are merged into one span per series; the peak keeps its daily bucket.
    expect(invoice.lines[1]?.sources).toEqual([
      {
        environmentId: environment.id,
        meter: "cpu",
        dimensionKey: "",
        bucketStart: "2024-03-01T00:00:00.000Z",
        bucketEnd: "2024-03-21T00:00:00.000Z",
        granularity: "span",
      },
    ]);
    expect(invoice.lines[3]?.sources).toMatchObject([
      { bucketStart: "2024-03-05T00:00:00.000Z", granularity: "day" },
    ]);
    // The portal's estimate over the same period prices the same usage lines, whatever the charge model.
    const estimate = await estimateUsageCharges({
      db: t.db,
      tenantId: tenant.id,
      from: march,
      to: invoice.periodEnd,
    });
    expect(estimate?.lines.map((l) => [l.metric, l.unit, l.quantity, l.amount])).toEqual([
      ["CPU core-hours", "core-hour", "12.5", "0.63"],
      ["Memory GB-hours", "GB-hour", "3", "2.50"],
      ["Peak concurrent users", "user", "7", "14.00"],
    ]);
    const audit = await t.db.prisma.auditLog.findMany({ where: { entityId: invoice.id } });
    expect(audit.map((a) => a.action)).toEqual(["invoice.draft_created"]);
  });

  it("reads daily rollups inside the period and hourly ones at its edges, billing what the hours say", async () => {
    // Periods run from 12:00 on the 1st: [Mar 1 12:00, Apr 1 12:00).
    const { tenant, environment, subscription, planVersion } = await workedExample(
      march,
      utc("2024-01-01T12:00:00"),
    );
    const hours = [
      ["2024-03-01T11:00:00", "360000"], // before the period
      ["2024-03-01T12:00:00", "3600"], // first hour
      ["2024-03-01T23:00:00", "3600"],
      ["2024-03-15T08:00:00", "7200"],
      ["2024-04-01T11:00:00", "3600"], // last hour
      ["2024-04-01T12:00:00", "360000"], // next period
    ].map(([at, sum]) => ({ meter: "cpu", bucketStart: utc(at!), sum }));
    await someUsage(t.db, tenant.id, environment.id, hours);
    const { invoice } = await rateSubscriptionPeriod({
      db: t.db,
      tenantId: tenant.id,
      subscriptionId: subscription.id,
      actor,
      at: utc("2024-03-10T00:00:00"),
    });
    // 3600 + 3600 + 7200 + 3600 = 18 000 core-seconds = 5 core-hours × 0.05 = 0.25
    expect(lineFigures(invoice.lines)[1]).toEqual(["CPU core-hours: 5 × 0.05", "5", "0.05", "0.25"]);
    // The pure engine over the hourly rollups themselves agrees.
    const [input] = await loadRatingInputs({
      db: t.db,
      targets: [
        {
          tenantId: tenant.id,
          subscriptionId: subscription.id,
          planVersionId: planVersion.id,
          startAt: march,
          endAt: null,
          period: { start: invoice.periodStart, end: invoice.periodEnd },
        },
      ],
    });
    const metricCode = input!.charges.find((c) => c.metric?.name === "CPU core-hours")!.metric!.code;
    const hourly = hours.map((h) => ({
      environmentId: environment.id,
      meter: "cpu",
      bucketStart: h.bucketStart,
      sum: h.sum!,
      max: "0",
      last: "0",
      lastAt: h.bucketStart,
      integral: "0",
      seconds: "3600",
    }));
    const pure = ratePeriod({ ...input!, rollups: { ...input!.rollups, [metricCode]: hourly } });
    expect(pure.lines.map((l) => l.amount)).toEqual(invoice.lines.map((l) => l.amount.toFixed(2)));
  });

  it("rounds once to whole yen and to thousandths of a dinar", async () => {
    const amounts = [];
    for (const [currency, unitPrice] of [
      ["JPY", "98.7"],
      ["KWD", "0.0123"],
    ] as const) {
      const metrics = await someMetrics(t.db);
      const { tenant, environment, subscription } = await aSubscribedTenant(t.db, {
        startAt: march,
        version: {
          currency,
          charges: [{ metric: metrics.cpu.code, model: "per_unit", properties: { unitPrice } }],
        },
      });
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
      amounts.push([invoice.currency, invoice.lines[0]?.amount.toFixed(), invoice.total.toFixed()]);
    }
    // 12.5 core-hours × 98.7 = 1233.75 → 1234 yen; × 0.0123 = 0.15375 → 0.154 dinar
    expect(amounts).toEqual([
      ["JPY", "1234", "1234"],
      ["KWD", "0.154", "0.154"],
    ]);
  });

  it("leaves the draft identical when usage has not changed, and re-rates when it has", async () => {
    const { tenant, environment, subscription } = await workedExample();
    await someUsage(t.db, tenant.id, environment.id, [
      { meter: "cpu", bucketStart: utc("2024-03-02T00:00:00"), sum: "3600" },
    ]);
    const rate = (at: Date) =>
      rateSubscriptionPeriod({ db: t.db, tenantId: tenant.id, subscriptionId: subscription.id, actor, at });
    const first = await rate(utc("2024-03-10T00:00:00"));
    const again = await rate(utc("2024-03-11T00:00:00"));
    expect(again.changed).toBe(false);
    expect(again.invoice).toEqual(first.invoice);
    await someUsage(t.db, tenant.id, environment.id, [
      { meter: "cpu", bucketStart: utc("2024-03-03T00:00:00"), sum: "3600" },
    ]);
    const changed = await rate(utc("2024-03-12T00:00:00"));
    expect(changed.changed).toBe(true);
    expect(changed.invoice.id).toBe(first.invoice.id);
    expect(changed.invoice.ratingHash).not.toBe(first.invoice.ratingHash);
    expect(changed.invoice.lines[1]?.amount.toFixed(2)).toBe("0.10");
  });

  it("keeps a subscription on its plan version until it is moved", async () => {
    const { tenant, subscription, plan, metrics } = await workedExample();
    const v2 = await createPlanVersion({
      db: t.db,
      actor,
      planId: plan.id,
      version: {
        currency: "USD",
        charges: [{ name: "Platform fee", model: "flat", properties: { amount: "62" } }],
      },
    });
    expect(v2.version).toBe(2);
    expect(metrics.cpu.code).toBeTruthy();
    const rate = () =>
      rateSubscriptionPeriod({
        db: t.db,
        tenantId: tenant.id,
        subscriptionId: subscription.id,
        actor,
        at: march,
      });
    expect((await rate()).invoice.total.toFixed(2)).toBe("31.00");
    await moveSubscription({
      db: t.db,
      actor,
      tenantId: tenant.id,
      subscriptionId: subscription.id,
      planVersionId: v2.id,
    });
    expect((await rate()).invoice.total.toFixed(2)).toBe("62.00");
  });

  it("refuses a period in which the subscription is not active", async () => {
    const { tenant, subscription } = await workedExample();
    await expect(
      rateSubscriptionPeriod({
        db: t.db,
        tenantId: tenant.id,
        subscriptionId: subscription.id,
        actor,
        at: utc("2024-02-01T00:00:00"),
      }),
    ).rejects.toMatchObject({ code: "SUBSCRIPTION_NOT_ACTIVE" });
  });
});
