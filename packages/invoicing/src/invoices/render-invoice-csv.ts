import { currencyExponent } from "@meterplane/billing";
import { csvField } from "@meterplane/core";
import type { Database } from "@meterplane/db";
import { getInvoiceDocument, invoiceTitle } from "./get-invoice-document.ts";
import type { Seller } from "./seller.ts";

const header = [
  "invoice",
  "status",
  "currency",
  "period_start",
  "period_end",
  "position",
  "kind",
  "description",
  "quantity",
  "unit",
  "unit_price",
  "amount",
];

/**
 * The invoice as CSV (RFC 4180): one row per line, then its total, each credit note (negative) and the
 * amount due. Quantities and prices exactly as stored, amounts in the currency's minor unit: this is the
 * export, where nothing is rounded for reading.
 * Cells a spreadsheet would run as formulas (a charge named `=HYPERLINK(…)`) are written as text (`csvField`).
 */
export async function renderInvoiceCsv({
  db,
  tenantId,
  invoiceId,
  seller,
}: {
  db: Database;
  tenantId: string;
  invoiceId: string;
  seller: Seller;
}) {
  const invoice = await getInvoiceDocument({ db, tenantId, invoiceId, seller });
  const places = currencyExponent(invoice.currency);
  const head = [
    invoiceTitle(invoice),
    invoice.status,
    invoice.currency,
    invoice.periodStart.toISOString(),
    invoice.periodEnd.toISOString(),
  ];
  const summary = (kind: string, description: string, amount: string) => [
    ...head,
    "",
    kind,
    description,
    "",
    "",
    "",
    amount,
  ];
  const rows = [
    header,
    ...invoice.lines.map((l) => [
      ...head,
      String(l.position),
      l.kind,
      l.description,
      l.quantity.toFixed(),
      l.unit ?? "",
      l.unitPrice.toFixed(),
      l.amount.toFixed(places),
    ]),
    summary("total", "Total", invoice.total.toFixed(places)),
    ...invoice.creditNotes.map((note) =>
      summary("credit_note", `Credit note ${note.number}: ${note.reason}`, note.amount.neg().toFixed(places)),
    ),
    summary("amount_due", "Amount due", invoice.amountDue.toFixed(places)),
  ];
  return `${rows.map((row) => row.map(csvField).join(",")).join("\r\n")}\r\n`;
}
