import { systemActor as actor } from "@meterplane/db";
import { useTestDatabase } from "@meterplane/testing";
import { acceptBatch, aggregateBatches } from "@meterplane/usage";
import { batchOfFlat } from "@meterplane/wire";
import { describe, expect, it } from "vitest";
import { aSubscribedTenant, someMetrics, someUsage, utc } from "../test/factories.ts";
import { finalizeInvoice } from "./finalize-invoice.ts";
import { getLineWork } from "./get-line-work.ts";
import { rateSubscriptionPeriod } from "./rate-subscription-period.ts";
import { renderInvoiceCsv } from "./render-invoice-csv.ts";
import { renderInvoicePdf } from "./render-invoice-pdf.ts";

const t = useTestDatabase();

/**
 * The text pdfkit draws: standard fonts write each run as a hex string inside a TJ array, so the hex is
 * decoded back to Latin-1 characters.
 */
function pdfText(pdf: Buffer): string {
  const content = pdf.toString("latin1");
  return [...content.matchAll(/<([0-9a-fA-F]+)>/g)]
    .map(([, hex]) => Buffer.from(hex!, "hex").toString("latin1"))
    .join("");
}

async function aFinalInvoice(startAt: Date) {
  const metrics = await someMetrics(t.db);
  const subscribed = await aSubscribedTenant(t.db, {
    startAt,
    version: {
      currency: "USD",
      charges: [
        { name: 'Platform fee, "standard"', model: "flat", properties: { amount: "31" } },
        { metric: metrics.cpu.code, model: "per_unit", properties: { unitPrice: "0.05" } },
      ],
    },
  });
  return { ...subscribed, tenantId: subscribed.tenant.id };
}

describe("invoice documents", () => {
  it("renders a finalized invoice as a real PDF carrying its number, lines and total", async () => {
    const { tenantId, tenant, environment, subscription } = await aFinalInvoice(utc("2024-03-01T00:00:00"));
    await someUsage(t.db, tenantId, environment.id, [
      { meter: "cpu", bucketStart: utc("2024-03-02T00:00:00"), sum: "45000" },
    ]);
    const { invoice } = await rateSubscriptionPeriod({
      db: t.db,
      tenantId,
      subscriptionId: subscription.id,
      actor,
      at: utc("2024-03-05T00:00:00"),
    });
    const final = await finalizeInvoice({
      db: t.db,
      tenantId,
      invoiceId: invoice.id,
      actor,
      at: utc("2024-04-01T00:00:00"),
    });
    const pdf = await renderInvoicePdf({ db: t.db, tenantId, invoiceId: invoice.id, compress: false });
    expect(pdf.subarray(0, 5).toString()).toBe("%PDF-");
    expect(pdf.subarray(-6).toString()).toContain("%%EOF");
    const text = pdfText(pdf);
    expect(text).toContain(`Invoice ${final.number}`);
    expect(text).toContain(tenant.name);
    expect(text).toContain("CPU core-hours: 12.5 × 0.05".replace("×", "\u00d7"));
    expect(text).toContain("31.63 USD");
    // Compressed by default: smaller, still a PDF, and its text is inside a deflated stream.
    const compressed = await renderInvoicePdf({ db: t.db, tenantId, invoiceId: invoice.id });
    expect(compressed.subarray(0, 5).toString()).toBe("%PDF-");
    expect(compressed.toString("latin1")).toContain("/FlateDecode");
  });

  it("renders the invoice as CSV, quoting what needs quoting", async () => {
    const { tenantId, subscription } = await aFinalInvoice(utc("2024-03-01T00:00:00"));
    const { invoice } = await rateSubscriptionPeriod({
      db: t.db,
      tenantId,
      subscriptionId: subscription.id,
      actor,
      at: utc("2024-03-05T00:00:00"),
    });
    const csv = await renderInvoiceCsv({ db: t.db, tenantId, invoiceId: invoice.id });
    const head = "DRAFT,draft,USD,2024-03-01T00:00:00.000Z,2024-04-01T00:00:00.000Z";
    expect(csv.split("\r\n")).toEqual([
      "invoice,status,currency,period_start,period_end,position,description,quantity,unit_price,amount",
      `${head},0,"Platform fee, ""standard""",1,31,31.00`,
      `${head},1,CPU core-hours: 0 × 0.05,0,0.05,0.00`,
      `${head},,Total,,,31.00`,
      "",
    ]);
  });

  it("writes charge names a spreadsheet would run as formulas as text", async () => {
    const names = ['=HYPERLINK("http://evil.example","click")', "@SUM(A1:A9)", "-2+3"];
    const { tenant, subscription } = await aSubscribedTenant(t.db, {
      startAt: utc("2024-03-01T00:00:00"),
      version: {
        currency: "USD",
        charges: names.map((name) => ({ name, model: "flat", properties: { amount: "1" } })),
      },
    });
    const { invoice } = await rateSubscriptionPeriod({
      db: t.db,
      tenantId: tenant.id,
      subscriptionId: subscription.id,
      actor,
      at: utc("2024-03-05T00:00:00"),
    });
    const csv = await renderInvoiceCsv({ db: t.db, tenantId: tenant.id, invoiceId: invoice.id });
    const descriptions = csv
      .split("\r\n")
      .slice(1, 4)
      .map((row) => row.split(",").slice(6).join(","));
    expect(descriptions).toEqual([
      `"'=HYPERLINK(""http://evil.example"",""click"")",1,1,1.00`,
      "'@SUM(A1:A9),1,1,1.00",
      "'-2+3,1,1,1.00",
    ]);
  });

  it("shows the work behind a line: its rollups and the raw samples behind them", async () => {
    const now = new Date();
    const hour = new Date(Math.floor(now.getTime() / 3_600_000) * 3_600_000 - 3_600_000);
    const { tenantId, host, environment, subscription } = await aFinalInvoice(
      new Date(hour.getTime() - 86_400_000),
    );
    const samples = [0, 10, 20].map((s) => ({
      environmentId: environment.id,
      meter: "cpu" as const,
      start: new Date(hour.getTime() + s * 1000).toISOString(),
      seconds: 10,
      value: "1200",
    }));
    const batch = await acceptBatch({
      db: t.db,
      hostId: host.id,
      batch: batchOfFlat({ sequence: 1, collectorVersion: "0.2.0", samples }),
      now,
    });
    await aggregateBatches({ db: t.db, batches: [batch] });
    const { invoice } = await rateSubscriptionPeriod({
      db: t.db,
      tenantId,
      subscriptionId: subscription.id,
      actor,
      at: now,
    });
    const cpu = invoice.lines[1]!;
    // 3 × 1200 core-seconds = 1 core-hour × 0.05
    expect([cpu.quantity.toFixed(), cpu.amount.toFixed(2)]).toEqual(["1", "0.05"]);
    const work = await getLineWork({ db: t.db, tenantId, lineId: cpu.id });
    expect(
      work.rollups.map((r) => [r.environmentId, r.meter, r.bucketStart.getTime(), r.sum, r.count]),
    ).toEqual([[environment.id, "cpu", hour.getTime(), "3600.000000000000", "3"]]);
    expect(work.samples.map((s) => [s.start, s.value, s.batchId])).toEqual(
      samples.map((s) => [s.start, s.value, batch.batchId]),
    );
    expect(work.truncated).toBe(false);
    await expect(
      getLineWork({ db: t.db, tenantId: environment.tenantId, lineId: invoice.id }),
    ).rejects.toMatchObject({ code: "NOT_FOUND" });
  });
});
