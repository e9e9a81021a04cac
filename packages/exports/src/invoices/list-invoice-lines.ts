import { AppError } from "@meterplane/core";
import type { Database } from "@meterplane/db";
import { decodeCursor, type Page, toPage } from "../cursors/page-cursor.ts";
import { getInvoice } from "./list-invoices.ts";

export interface InvoiceLineView {
  id: string;
  tenantId: string;
  invoiceId: string;
  position: number;
  description: string;
  quantity: string;
  unitPrice: string;
  amount: string;
}

/** The lines of one visible invoice in order, a page at a time; NOT_FOUND for an invoice the caller may not see. */
export async function listInvoiceLines({
  db,
  tenantId,
  invoiceId,
  limit,
  cursor,
}: {
  db: Database;
  tenantId: string | null;
  invoiceId: string;
  limit: number;
  cursor?: string;
}): Promise<Page<InvoiceLineView>> {
  const invoice = await getInvoice({ db, tenantId, invoiceId });
  if (!invoice) throw new AppError("NOT_FOUND", "no such invoice");
  const after = decodeCursor(cursor, ["int", "uuid"]);
  const { rows } = await db.pool.query<InvoiceLineView>(
    `SELECT id, "tenantId", "invoiceId", position, description, quantity::text, "unitPrice"::text, amount::text
       FROM "InvoiceLine"
      WHERE "tenantId" = $1 AND "invoiceId" = $2 AND ($3::int IS NULL OR (position, id) > ($3, $4::uuid))
      ORDER BY position, id LIMIT $5`,
    [invoice.tenantId, invoice.id, after?.[0] ?? null, after?.[1] ?? null, limit + 1],
  );
  return toPage(rows, limit, (row) => [String(row.position), row.id]);
}
