import { mkdirSync } from "node:fs";
import { join } from "node:path";
import { systemActor as actor } from "@meterplane/db";
import { repoRoot, useTestDatabase } from "@meterplane/testing";
import { acceptBatch, aggregateBatches } from "@meterplane/usage";
import { batchOfFlat } from "@meterplane/wire";
import { beforeAll, describe, expect, it } from "vitest";
import { aSubscribedTenant, someMetrics, someUsage, utc } from "../test/factories.ts";
import { pdfLayoutText, renderPage, requirePoppler, savePng } from "../test/poppler.ts";
import { finalizeInvoice } from "./finalize-invoice.ts";
import { getLineWork } from "./get-line-work.ts";
import { issueCreditNote } from "./issue-credit-note.ts";
import { rateSubscriptionPeriod } from "./rate-subscription-period.ts";
import { renderInvoiceCsv } from "./render-invoice-csv.ts";
import { renderInvoicePdf } from "./render-invoice-pdf.ts";
import { sellerFrom } from "./seller.ts";

const artifacts = join(repoRoot, "test-artifacts");

const t = useTestDatabase();
const seller = sellerFrom({
  MP_SELLER_NAME: "Acme Hosting Ltd",
  MP_SELLER_ADDRESS: "1 Quay Street|Dublin D02 XY45|Ireland",
  MP_SELLER_EMAIL: "billing@acme.test",
  MP_SELLER_TAX_ID: "IE1234567X",
  MP_PAYMENT_TERMS_DAYS: "30",
});

async function aFinalInvoice(startAt: Date, invoiceMinimum: string | null = null) {
  const metrics = await someMetrics(t.db);
  const subscribed = await aSubscribedTenant(t.db, {
    startAt,
    version: {
      currency: "USD",
      invoiceMinimum,
      charges: [
        { name: 'Platform fee, "standard"', model: "flat", properties: { amount: "31" } },
        { metric: metrics.cpu.code, model: "per_unit", properties: { unitPrice: "0.05" } },
      ],
    },
  });
  return { ...subscribed, tenantId: subscribed.tenant.id };
}

/** March 2024 rated with 12.5 core-hours, topped up to a $40 minimum, finalized on April 1, $10 credited. */
async function aCreditedInvoice() {
  const { tenantId, tenant, environment, subscription } = await aFinalInvoice(
    utc("2024-03-01T00:00:00"),
    "40",
  );
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
  const note = await issueCreditNote({
    db: t.db,
    tenantId,
    invoiceId: invoice.id,
    actor,
    amount: "10",
    reason: "outage on March 3",
  });
  return { tenantId, tenant, invoice: final, note };
}

describe("invoice documents", () => {
  beforeAll(requirePoppler);

  it("renders a PDF a finance team accepts: seller, buyer, dates, lines, minimum, credit and amount due", async () => {
    const { tenantId, tenant, invoice, note } = await aCreditedInvoice();
    const pdf = await renderInvoicePdf({ db: t.db, tenantId, invoiceId: invoice.id, seller });
    expect(pdf.subarray(0, 5).toString()).toBe("%PDF-");
    expect(pdf.toString("latin1")).toContain("/FlateDecode");

    const rows = pdfLayoutText(pdf)
      .split("\n")
      .map((line) => line.replace(/\s+/g, " ").trim());
    const row = (start: string) => rows.find((line) => line.startsWith(start));
    for (const text of ["Acme Hosting Ltd", "1 Quay Street", "Tax ID IE1234567X", tenant.name])
      expect(rows, text).toContainEqual(expect.stringContaining(text));
    expect(rows.join("\n")).toContain(`Invoice number ${invoice.number}`);
    expect(rows.join("\n")).toContain("Issue date April 1, 2024");
    expect(rows.join("\n")).toContain("Due date May 1, 2024");
    expect(rows.join("\n")).toContain("Period March 1 – 31, 2024");
    expect(row("CPU core-hours")).toMatch(/12\.5 core-hour \$0\.05 \$0\.63$/);
    expect(row('Platform fee, "standard"')).toMatch(/\$31\.00$/);
    expect(row("Subtotal")).toBe("Subtotal $31.63");
    expect(row("Minimum commitment")).toMatch(/\$8\.37$/);
    expect(row("Total")).toBe("Total $40.00");
    expect(row(`Credit note ${note.number} (December`)).toMatch(/: outage on -\$10\.00$/);
    expect(rows).toContain("March 3"); // the reason wraps inside its column
    expect(row("Amount due (USD)")).toBe("Amount due (USD) $30.00");

    // Rendered to an image, the page is A4 with ink where the header, the lines and the amounts are, and a
    // blank lower part (nothing drawn off the grid).
    const page = renderPage(pdf, 50);
    expect([page.width, page.height]).toEqual([414, 585]);
    expect(page.ink(0.05, 0.04, 0.5, 0.12), "seller block").toBeGreaterThan(0.01);
    expect(page.ink(0.55, 0.04, 0.95, 0.1), "title").toBeGreaterThan(0.01);
    expect(page.ink(0.8, 0.3, 0.92, 0.5), "amounts column").toBeGreaterThan(0.005);
    expect(page.ink(0.05, 0.7, 0.95, 0.95), "lower part").toBe(0);
    mkdirSync(artifacts, { recursive: true });
    savePng(pdf, join(artifacts, "invoice-pdf.png"));
  });

  it("exports the invoice as CSV with exact figures, units, minimum, credit and amount due", async () => {
    const { tenantId, invoice, note } = await aCreditedInvoice();
    const csv = await renderInvoiceCsv({ db: t.db, tenantId, invoiceId: invoice.id, seller });
    const head = `${invoice.number},finalized,USD,2024-03-01T00:00:00.000Z,2024-04-01T00:00:00.000Z`;
    expect(csv.split("\r\n")).toEqual([
      "invoice,status,currency,period_start,period_end,position,kind,description,quantity,unit,unit_price,amount",
      `${head},0,charge,"Platform fee, ""standard""",1,,31,31.00`,
      `${head},1,charge,CPU core-hours: 12.5 × 0.05,12.5,core-hour,0.05,0.63`,
      `${head},2,invoice_minimum,Minimum commitment: top-up to 40.00,1,,8.37,8.37`,
      `${head},,total,Total,,,,40.00`,
      `${head},,credit_note,Credit note ${note.number}: outage on March 3,,,,-10.00`,
      `${head},,amount_due,Amount due,,,,30.00`,
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
    const csv = await renderInvoiceCsv({ db: t.db, tenantId: tenant.id, invoiceId: invoice.id, seller });
    // The description column: after title, status, currency, period, position and kind; before the
    // quantity, unit, unit price and amount.
    const descriptions = csv
      .split("\r\n")
      .slice(1, 4)
      .map((row) => row.split(",").slice(7, -4).join(","));
    expect(descriptions).toEqual([
      `"'=HYPERLINK(""http://evil.example"",""click"")"`,
      "'@SUM(A1:A9)",
      "'-2+3",
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
    // Each hour is named by its environment and adds its share to the line: 3600 core-seconds = 1 core-hour.
    expect(work.rollups.map((r) => [r.environmentName, r.figure, r.contribution?.toFixed()])).toEqual([
      [environment.name, "3600.000000000000", "1"],
    ]);
    expect([work.measured?.toFixed(), work.metric?.unit]).toEqual(["1", "core-hour"]);
    expect(work.samples.map((s) => [s.start, s.value, s.batchId])).toEqual(
      samples.map((s) => [s.start, s.value, batch.batchId]),
    );
    expect(work.truncated).toBe(false);
    await expect(
      getLineWork({ db: t.db, tenantId: environment.tenantId, lineId: invoice.id }),
    ).rejects.toMatchObject({ code: "NOT_FOUND" });
  });
});
