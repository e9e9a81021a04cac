import { getInvoice } from "@meterplane/exports";
import { renderInvoiceCsv, renderInvoicePdf } from "@meterplane/invoicing";
import { z } from "zod";
import { seller } from "@/lib/env";
import { services } from "@/lib/server";
import { requireTenantUser } from "@/lib/tenant-session";

const formats = {
  csv: { render: renderInvoiceCsv, type: "text/csv; charset=utf-8" },
  pdf: { render: renderInvoicePdf, type: "application/pdf" },
} as const;

/**
 * An invoice of the member's own tenant as a file, rendered by invoicing (the same document operators get).
 * Drafts and other tenants' invoices are 404: `getInvoice` shows a tenant only its finalized invoices.
 */
export function tenantInvoiceDownload(format: keyof typeof formats) {
  return async (_request: Request, context: { params: Promise<{ tenantId: string; invoiceId: string }> }) => {
    const route = await context.params;
    const { tenantId } = await requireTenantUser(route.tenantId);
    const invoiceId = z.uuid().safeParse(route.invoiceId);
    const { db } = services();
    const invoice = invoiceId.success ? await getInvoice({ db, tenantId, invoiceId: invoiceId.data }) : null;
    if (!invoice) return new Response("no such invoice\n", { status: 404 });
    const body = await formats[format].render({ db, tenantId, invoiceId: invoice.id, seller: seller() });
    return new Response(typeof body === "string" ? body : new Uint8Array(body), {
      headers: {
        "content-type": formats[format].type,
        "content-disposition": `attachment; filename="invoice-${invoice.number ?? invoice.id}.${format}"`,
        "cache-control": "private, no-store",
      },
    });
  };
}
