import {
  formatDate,
  formatMoney,
  formatPeriod,
  formatQuantity,
  formatUnitPrice,
  type TierBreakdownRow,
} from "@meterplane/billing";
import type { Database } from "@meterplane/db";
import PDFDocument from "pdfkit";
import { getInvoiceDocument, type InvoiceDocument, invoiceTitle } from "./get-invoice-document.ts";
import type { Seller } from "./seller.ts";

const left = 50;
const right = 545;
const columns = { description: left, quantity: 290, unitPrice: 390, amount: 465 } as const;
const grey = "#555555";

/**
 * The invoice as a PDF a finance team accepts: seller and buyer, number, issue and due dates, the period in
 * words, lines with quantity, unit and unit price (tier slices beneath), the minimums, credit notes and the
 * amount due. pdfkit's built-in Helvetica, so nothing is fetched. `compress: false` leaves the text streams
 * readable, which lets tests and archivists search the bytes.
 */
export async function renderInvoicePdf({
  db,
  tenantId,
  invoiceId,
  seller,
  compress = true,
}: {
  db: Database;
  tenantId: string;
  invoiceId: string;
  seller: Seller;
  compress?: boolean;
}): Promise<Buffer> {
  const invoice = await getInvoiceDocument({ db, tenantId, invoiceId, seller });
  const doc = new PDFDocument({
    size: "A4",
    margin: left,
    compress,
    info: { Title: `Invoice ${invoiceTitle(invoice)}`, Author: seller.name },
  });
  const chunks: Buffer[] = [];
  doc.on("data", (chunk: Buffer) => chunks.push(chunk));
  const done = new Promise<Buffer>((resolve, reject) => {
    doc.on("end", () => resolve(Buffer.concat(chunks)));
    doc.on("error", reject);
  });
  header(doc, invoice);
  lines(doc, invoice);
  totals(doc, invoice);
  doc.end();
  return done;
}

function header(doc: PDFKit.PDFDocument, invoice: InvoiceDocument) {
  const { seller } = invoice;
  doc
    .font("Helvetica-Bold")
    .fontSize(20)
    .text("Invoice", left, 50, { width: right - left, align: "right" });
  doc.font("Helvetica-Bold").fontSize(13).text(seller.name, left, 50);
  doc.font("Helvetica").fontSize(9).fillColor(grey);
  for (const line of sellerLines(seller)) doc.text(line);
  const top = Math.max(doc.y, 80) + 16;
  doc.fillColor("black").font("Helvetica-Bold").fontSize(9).text("Bill to", left, top);
  doc.font("Helvetica").text(invoice.tenant.name);
  if (invoice.tenant.email) doc.text(invoice.tenant.email);
  doc.fillColor(grey).text(`Customer ${invoice.tenant.slug}`).fillColor("black");
  const billTo = doc.y;
  const facts: [string, string][] = [
    ["Invoice number", invoiceTitle(invoice)],
    ["Issue date", invoice.issuedAt ? formatDate(invoice.issuedAt) : "not issued (draft)"],
    ["Due date", invoice.dueAt ? formatDate(invoice.dueAt) : "—"],
    ["Period", formatPeriod(invoice.periodStart, invoice.periodEnd)],
    ["Amount due", formatMoney(invoice.amountDue, invoice.currency)],
  ];
  let y = top;
  for (const [label, value] of facts) {
    doc.font("Helvetica").fillColor(grey).text(label, 300, y, { width: 90 });
    doc
      .font("Helvetica-Bold")
      .fillColor("black")
      .text(value, 390, y, { width: right - 390, align: "right" });
    y = doc.y + 2;
  }
  if (invoice.status === "void" || invoice.status === "draft")
    doc
      .font("Helvetica-Bold")
      .fontSize(12)
      .fillColor("#b91c1c")
      .text(invoice.status === "void" ? "VOID" : "DRAFT: not a demand for payment", 300, y + 4)
      .fillColor("black")
      .fontSize(9);
  doc.x = left;
  doc.y = Math.max(billTo, doc.y) + 20;
}

function sellerLines(seller: Seller): string[] {
  return [
    ...seller.address,
    ...(seller.email ? [seller.email] : []),
    ...(seller.taxId ? [`Tax ID ${seller.taxId}`] : []),
  ];
}

function lines(doc: PDFKit.PDFDocument, invoice: InvoiceDocument) {
  const { currency } = invoice;
  row(doc, "Helvetica-Bold", ["Description", "Quantity", "Unit price", "Amount"]);
  rule(doc);
  for (const line of invoice.charges) {
    const usage = line.unit !== null;
    row(doc, "Helvetica", [
      line.description,
      usage ? formatQuantity(line.quantity, line.unit ?? "").text : line.quantity.toFixed(),
      line.tiers.length > 1 ? "tiered" : formatUnitPrice(line.unitPrice, currency),
      formatMoney(line.amount, currency),
    ]);
    if (line.tiers.length > 1) for (const tier of line.tiers) tierRow(doc, tier, line.unit ?? "", currency);
  }
  rule(doc);
}

function tierRow(doc: PDFKit.PDFDocument, tier: TierBreakdownRow, unit: string, currency: string) {
  const fee = tier.flatFee !== "0" ? ` + ${formatMoney(tier.flatFee, currency)}` : "";
  doc.fillColor(grey);
  row(doc, "Helvetica", [
    tier.upTo === null ? `    over ${tier.from}` : `    ${tier.from} – ${tier.upTo}`,
    formatQuantity(tier.quantity, unit).text,
    `${formatUnitPrice(tier.unitPrice, currency)}${fee}`,
    formatMoney(tier.amount, currency),
  ]);
  doc.fillColor("black");
}

function totals(doc: PDFKit.PDFDocument, invoice: InvoiceDocument) {
  const { currency } = invoice;
  const money = (amount: Parameters<typeof formatMoney>[0]) => formatMoney(amount, currency);
  row(doc, "Helvetica", ["Subtotal", "", "", money(invoice.chargesSubtotal)]);
  for (const line of invoice.minimums) row(doc, "Helvetica", [line.description, "", "", money(line.amount)]);
  row(doc, "Helvetica-Bold", ["Total", "", "", money(invoice.total)]);
  for (const note of invoice.creditNotes)
    row(doc, "Helvetica", [
      `Credit note ${note.number} (${formatDate(note.createdAt)}): ${note.reason}`,
      "",
      "",
      `-${money(note.amount)}`,
    ]);
  if (invoice.status === "paid" && invoice.paidAt)
    row(doc, "Helvetica", [`Paid ${formatDate(invoice.paidAt)}`, "", "", ""]);
  rule(doc);
  row(doc, "Helvetica-Bold", [`Amount due (${currency})`, "", "", money(invoice.amountDue)]);
  doc.moveDown(2).font("Helvetica").fontSize(8).fillColor(grey);
  const terms = invoice.dueAt
    ? `Payment is due within ${invoice.seller.paymentTermsDays} days of the issue date, by ${formatDate(invoice.dueAt)}. `
    : "";
  doc.text(
    `${terms}Usage is measured in UTC; the period covers ${formatPeriod(invoice.periodStart, invoice.periodEnd)} inclusive.`,
    left,
    doc.y,
    { width: right - left },
  );
}

function rule(doc: PDFKit.PDFDocument) {
  doc.moveTo(left, doc.y).lineTo(right, doc.y).lineWidth(0.5).strokeColor("#cccccc").stroke();
  doc.y += 4;
}

function row(doc: PDFKit.PDFDocument, font: string, [description, quantity, unitPrice, amount]: string[]) {
  if (doc.y > doc.page.height - doc.page.margins.bottom - 30) doc.addPage();
  const y = doc.y;
  doc.font(font).fontSize(9);
  doc.text(description ?? "", columns.description, y, { width: columns.quantity - columns.description - 10 });
  const bottom = doc.y;
  doc.text(quantity ?? "", columns.quantity, y, {
    width: columns.unitPrice - columns.quantity - 10,
    align: "right",
  });
  doc.text(unitPrice ?? "", columns.unitPrice, y, {
    width: columns.amount - columns.unitPrice - 10,
    align: "right",
  });
  doc.text(amount ?? "", columns.amount, y, { width: right - columns.amount, align: "right" });
  doc.x = left;
  doc.y = Math.max(bottom, doc.y) + 4;
}
