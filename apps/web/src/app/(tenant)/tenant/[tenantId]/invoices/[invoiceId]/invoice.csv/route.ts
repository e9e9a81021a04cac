import { csvField, getInvoice, listInvoiceLines } from "@meterplane/exports";
import { z } from "zod";
import { services } from "@/lib/server";
import { requireTenantUser } from "@/lib/tenant-session";

/** The invoice's lines as CSV, for a member of its tenant; anyone else gets 404. */
export async function GET(
  _request: Request,
  context: { params: Promise<{ tenantId: string; invoiceId: string }> },
) {
  const route = await context.params;
  const { tenantId } = await requireTenantUser(route.tenantId);
  const invoiceId = z.uuid().safeParse(route.invoiceId);
  const { db } = services();
  const invoice = invoiceId.success ? await getInvoice({ db, tenantId, invoiceId: invoiceId.data }) : null;
  if (!invoice) return new Response("no such invoice\n", { status: 404 });
  const lines = await listInvoiceLines({ db, tenantId, invoiceId: invoice.id, limit: 1000 });
  const rows = [
    ["description", "quantity", "unitPrice", "amount", "currency"],
    ...lines.data.map((l) => [l.description, l.quantity, l.unitPrice, l.amount, invoice.currency]),
    ["Total", "", "", invoice.total, invoice.currency],
  ];
  return new Response(rows.map((row) => `${row.map(csvField).join(",")}\r\n`).join(""), {
    headers: {
      "Content-Type": "text/csv; charset=utf-8",
      "Content-Disposition": `attachment; filename="invoice-${invoice.number ?? invoice.id}.csv"`,
    },
  });
}
