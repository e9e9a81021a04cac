import type { Database } from "@meterplane/db";
import { decodeCursor, type Page, toPage } from "../cursors/page-cursor.ts";
import { isoInstant } from "../sql/iso-instant.ts";

export interface InvoiceView {
  id: string;
  tenantId: string;
  number: string | null;
  status: string;
  currency: string;
  periodStart: string;
  periodEnd: string;
  subtotal: string;
  total: string;
  finalizedAt: string | null;
  paidAt: string | null;
  voidedAt: string | null;
}

const columns = `id, "tenantId", number, status::text, currency, subtotal::text, total::text,
  ${isoInstant('"periodStart"', "periodStart")}, ${isoInstant('"periodEnd"', "periodEnd")},
  ${isoInstant('"finalizedAt"', "finalizedAt")}, ${isoInstant('"paidAt"', "paidAt")},
  ${isoInstant('"voidedAt"', "voidedAt")}`;

// A draft may still change with late usage, so a tenant sees an invoice once it is finalized;
// operators (tenantId null) see drafts too.
const visible = `($1::uuid IS NULL OR ("tenantId" = $1 AND status <> 'draft'))`;

/** Invoices, newest period first, a page at a time. */
export async function listInvoices({
  db,
  tenantId,
  limit,
  cursor,
}: {
  db: Database;
  tenantId: string | null;
  limit: number;
  cursor?: string;
}): Promise<Page<InvoiceView>> {
  const after = decodeCursor(cursor, ["instant", "uuid"]);
  const { rows } = await db.pool.query<InvoiceView>(
    `SELECT ${columns} FROM "Invoice"
      WHERE ${visible} AND ($2::timestamptz IS NULL OR ("periodStart", id) < ($2, $3::uuid))
      ORDER BY "periodStart" DESC, id DESC LIMIT $4`,
    [tenantId, after?.[0] ?? null, after?.[1] ?? null, limit + 1],
  );
  return toPage(rows, limit, (row) => [row.periodStart, row.id]);
}

/** One invoice, or null when this caller may not see it (another tenant's ids cannot be probed). */
export async function getInvoice({
  db,
  tenantId,
  invoiceId,
}: {
  db: Database;
  tenantId: string | null;
  invoiceId: string;
}): Promise<InvoiceView | null> {
  const { rows } = await db.pool.query<InvoiceView>(
    `SELECT ${columns} FROM "Invoice" WHERE ${visible} AND id = $2`,
    [tenantId, invoiceId],
  );
  return rows[0] ?? null;
}
