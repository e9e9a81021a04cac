import { currencyExponent } from "@meterplane/billing";
import type { Database } from "@meterplane/db";
import PDFDocument from "pdfkit";
import { getInvoiceDocument, type InvoiceDocument, invoiceTitle } from "./get-invoice-document.ts";

const columns = { description: 50, quantity: 300, unitPrice: 390, amount: 480 } as const;

/**
 * The invoice as a PDF, in pdfkit's built-in Helvetica (nothing is fetched). `compress: false` leaves the
 * text streams readable, which lets tests and archivists search the bytes.
 */
export async function renderInvoicePdf({
  db,
  tenantId,
  invoiceId,
  compress = true,
}: {
  db: Database;
  tenantId: string;
  invoiceId: string;
  compress?: boolean;
}): Promise<Buffer> {
  const invoice = await getInvoiceDocument({ db, tenantId, invoiceId });
  const doc = new PDFDocument({
    size: "A4",
    margin: 50,
    compress,
    info: { Title: `Invoice ${invoiceTitle(invoice)}` },
  });
  const chunks: Buffer[] = [];
  doc.on("data", (chunk: Buffer) => chunks.push(chunk));
  const done = new Promise<Buffer>((resolve, reject) => {
    doc.on("end", () => resolve(Buffer.concat(chunks)));
    doc.on("error", reject);
  });
  draw(doc, invoice);
  doc.end();
  return done;
}

function draw(doc: PDFKit.PDFDocument, invoice: InvoiceDocument) {
  const places = currencyExponent(invoice.currency);
  const day = (d: Date) => d.toISOString().slice(0, 10);
  doc
    .font("Helvetica-Bold")
    .fontSize(18)
    .text(`Invoice ${invoiceTitle(invoice)}`);
  doc.font("Helvetica").fontSize(10).moveDown(0.5);
  doc.text(`Billed to: ${invoice.tenant.name}`);
  doc.text(
    `Period: ${invoice.periodStart.toISOString()} to ${invoice.periodEnd.toISOString()} (UTC, end exclusive)`,
  );
  doc.text(
    `Status: ${invoice.status}${invoice.finalizedAt ? `, finalized ${day(invoice.finalizedAt)}` : ""}`,
  );
  doc.text(`Currency: ${invoice.currency}`);
  doc.moveDown();
  row(doc, "Helvetica-Bold", ["Description", "Quantity", "Unit price", "Amount"]);
  for (const line of invoice.lines)
    row(doc, "Helvetica", [
      line.description,
      line.quantity.toFixed(),
      line.unitPrice.toFixed(),
      line.amount.toFixed(places),
    ]);
  doc.moveDown();
  row(doc, "Helvetica-Bold", ["Total", "", "", `${invoice.total.toFixed(places)} ${invoice.currency}`]);
  for (const note of invoice.creditNotes)
    row(doc, "Helvetica", [
      `Credit note ${note.number}: ${note.reason}`,
      "",
      "",
      `-${note.amount.toFixed(places)}`,
    ]);
}

function row(doc: PDFKit.PDFDocument, font: string, [description, quantity, unitPrice, amount]: string[]) {
  const y = doc.y;
  doc.font(font);
  doc.text(description ?? "", columns.description, y, { width: columns.quantity - columns.description - 10 });
  const bottom = doc.y;
  doc.text(quantity ?? "", columns.quantity, y, { width: 85 });
  doc.text(unitPrice ?? "", columns.unitPrice, y, { width: 85 });
  doc.text(amount ?? "", columns.amount, y, { width: 70, align: "right" });
  doc.x = columns.description;
  doc.y = Math.max(bottom, doc.y) + 4;
}
