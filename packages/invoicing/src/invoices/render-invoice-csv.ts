import { currencyExponent } from "@meterplane/billing";
import { csvField } from "@meterplane/core";
import type { Database } from "@meterplane/db";
import { getInvoiceDocument, invoiceTitle } from "./get-invoice-document.ts";

const header = [
  "invoice",
  "status",
  "currency",
  "period_start",
  "period_end",
  "position",
  "description",
  "quantity",
  "unit_price",
  "amount",
];

/**
 * The invoice as CSV (RFC 4180): one row per line, then its total; decimals exactly as stored. Cells a
 * spreadsheet would run as formulas (a charge named `=HYPERLINK(…)`) are written as text (`csvField`).
 */
export async function renderInvoiceCsv({
  db,
  tenantId,
  invoiceId,
}: {
  db: Database;
  tenantId: string;
  invoiceId: string;
}) {
  const invoice = await getInvoiceDocument({ db, tenantId, invoiceId });
  const places = currencyExponent(invoice.currency);
  const head = [
    invoiceTitle(invoice),
    invoice.status,
    invoice.currency,
    invoice.periodStart.toISOString(),
    invoice.periodEnd.toISOString(),
  ];
  const rows = [
    header,
    ...invoice.lines.map((l) => [
      ...head,
      String(l.position),
      l.description,
      l.quantity.toFixed(),
      l.unitPrice.toFixed(),
      l.amount.toFixed(places),
    ]),
    [...head, "", "Total", "", "", invoice.total.toFixed(places)],
  ];
  return `${rows.map((row) => row.map(csvField).join(",")).join("\r\n")}\r\n`;
}
