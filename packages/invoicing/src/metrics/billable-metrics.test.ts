import { randomBytes } from "node:crypto";
import { fieldErrorsIn } from "@meterplane/core";
import { systemActor as actor } from "@meterplane/db";
import { useTestDatabase } from "@meterplane/testing";
import { describe, expect, it } from "vitest";
import { rateSubscriptionPeriod } from "../invoices/rate-subscription-period.ts";
import { createPlan } from "../plans/create-plan.ts";
import { aSubscribedTenant, someUsage, utc } from "../test/factories.ts";
import { archiveBillableMetric } from "./archive-billable-metric.ts";
import { createBillableMetric } from "./create-billable-metric.ts";
import { editBillableMetric } from "./edit-billable-metric.ts";

const t = useTestDatabase();
const march = utc("2024-03-01T00:00:00");
const aCode = (name: string) => `${name}_${randomBytes(4).toString("hex")}`;

const egress = {
  name: "Egress",
  meter: "data_throughput",
  aggregation: "sum",
  unit: "GB",
  divisor: "1000000000",
  filter: { channel: "network", direction: "sent" },
};

/** The field errors of a refused call. */
async function refusal(call: Promise<unknown>) {
  const error = await call.then(
    () => undefined,
    (e: unknown) => e,
  );
  expect(error).toMatchObject({ code: "VALIDATION_FAILED" });
  return fieldErrorsIn(error);
}

/** A tenant billed 1 per unit of `code`, with the usage given, rated for March 2024. */
async function billedFor(code: string, usage: Parameters<typeof someUsage>[3], at = march) {
  const { tenant, environment, subscription } = await aSubscribedTenant(t.db, {
    startAt: march,
    version: {
      currency: "USD",
      charges: [{ metric: code, model: "per_unit", properties: { unitPrice: "1" } }],
    },
  });
  await someUsage(t.db, tenant.id, environment.id, usage);
  const rate = (when: Date) =>
    rateSubscriptionPeriod({
      db: t.db,
      tenantId: tenant.id,
      subscriptionId: subscription.id,
      actor,
      at: when,
    });
  return { first: await rate(at), rate };
}

describe("billable metrics", () => {
  it("refuses a meter that does not exist, naming the eight", async () => {
    const fields = await refusal(
      createBillableMetric({ db: t.db, actor, code: aCode("egress"), ...egress, meter: "network_egress" }),
    );
    expect(fields?.meter).toContain("choose one of the eight meters: cpu, memory");
  });

  it("refuses filters and uniqueBy on dimensions the meter does not have, all at once", async () => {
    const fields = await refusal(
      createBillableMetric({
        db: t.db,
        actor,
        code: aCode("odd"),
        ...egress,
        filter: { channel: "network", direction: "sideways", region: "eu" },
        uniqueBy: "kind",
      }),
    );
    expect(fields).toEqual({
      "filter.direction": '"sideways" is not a direction of data_throughput: use read, write, received, sent',
      "filter.region": 'data_throughput has no dimension "region": it has channel, direction',
      uniqueBy: "only a unique aggregation counts distinct values",
    });
    const cpu = await refusal(
      createBillableMetric({
        db: t.db,
        actor,
        code: aCode("cpu"),
        name: "CPU",
        meter: "cpu",
        aggregation: "sum",
        unit: "s",
        filter: { channel: "network" },
      }),
    );
    expect(cpu).toEqual({ "filter.channel": "cpu has no dimensions to filter by" });
  });

  it("bills only what its filter keeps: network bytes sent, not disk or received", async () => {
    const code = aCode("egress");
    await createBillableMetric({ db: t.db, actor, code, ...egress });
    const hour = utc("2024-03-02T00:00:00");
    const { first } = await billedFor(code, [
      {
        meter: "data_throughput",
        bucketStart: hour,
        sum: "3000000000",
        dimensions: { channel: "network", direction: "sent" },
      },
      {
        meter: "data_throughput",
        bucketStart: hour,
        sum: "5000000000",
        dimensions: { channel: "network", direction: "received" },
      },
      {
        meter: "data_throughput",
        bucketStart: hour,
        sum: "7000000000",
        dimensions: { channel: "disk", direction: "write" },
      },
    ]);
    expect(first.invoice.lines[0]?.quantity.toFixed()).toBe("3");
  });

  it("counts samples with the count aggregation", async () => {
    const code = aCode("running");
    await createBillableMetric({
      db: t.db,
      actor,
      code,
      name: "Sampled intervals",
      meter: "processes",
      aggregation: "count",
      unit: "interval",
    });
    // The factory writes one sample per hourly rollup.
    const { first } = await billedFor(
      code,
      ["02", "03", "04"].map((d) => ({
        meter: "processes",
        bucketStart: utc(`2024-03-${d}T05:00:00`),
        max: "2",
      })),
    );
    expect(first.invoice.lines[0]?.quantity.toFixed()).toBe("3");
  });

  it("applies an edit to periods that start after it, never to the one under way", async () => {
    const code = aCode("cpu");
    await createBillableMetric({
      db: t.db,
      actor,
      code,
      name: "CPU",
      meter: "cpu",
      aggregation: "sum",
      unit: "s",
    });
    const usage = ["2024-03-02T00:00:00", "2024-04-02T00:00:00"].map((at) => ({
      meter: "cpu",
      bucketStart: utc(at),
      sum: "7200",
    }));
    const { rate } = await billedFor(code, usage);
    const edited = await editBillableMetric({
      db: t.db,
      actor,
      code,
      at: utc("2024-03-15T00:00:00"),
      effectiveFrom: utc("2024-04-01T00:00:00"),
      name: "CPU hours",
      meter: "cpu",
      aggregation: "sum",
      unit: "hour",
      divisor: "3600",
    });
    expect(edited.version).toBe(2);
    const marchInvoice = (await rate(utc("2024-03-20T00:00:00"))).invoice;
    const aprilInvoice = (await rate(utc("2024-04-20T00:00:00"))).invoice;
    expect([marchInvoice.lines[0]?.description, marchInvoice.total.toFixed()]).toEqual([
      "CPU: 7200 × 1",
      "7200",
    ]);
    expect([aprilInvoice.lines[0]?.description, aprilInvoice.total.toFixed()]).toEqual([
      "CPU hours: 2 × 1",
      "2",
    ]);
    await expect(
      editBillableMetric({
        db: t.db,
        actor,
        code,
        at: utc("2024-05-01T00:00:00"),
        effectiveFrom: march,
        ...egress,
      }),
    ).rejects.toMatchObject({ code: "VALIDATION_FAILED" });
  });

  it("archives a metric: no new plan may charge for it, existing plans still bill it", async () => {
    const code = aCode("egress");
    await createBillableMetric({ db: t.db, actor, code, ...egress });
    const hour = utc("2024-03-02T00:00:00");
    const { rate } = await billedFor(code, [
      {
        meter: "data_throughput",
        bucketStart: hour,
        sum: "2000000000",
        dimensions: { channel: "network", direction: "sent" },
      },
    ]);
    await archiveBillableMetric({ db: t.db, actor, code });
    await expect(
      createPlan({
        db: t.db,
        actor,
        code: aCode("plan"),
        name: "New",
        version: {
          currency: "USD",
          charges: [{ metric: code, model: "per_unit", properties: { unitPrice: "1" } }],
        },
      }),
    ).rejects.toMatchObject({ code: "CONFLICT" });
    expect((await rate(march)).invoice.total.toFixed()).toBe("2");
    await expect(archiveBillableMetric({ db: t.db, actor, code })).rejects.toMatchObject({
      code: "CONFLICT",
    });
  });
});
