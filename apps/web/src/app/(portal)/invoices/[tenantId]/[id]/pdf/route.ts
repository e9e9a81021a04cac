import { AppError } from "@meterplane/core";
import { renderInvoicePdf } from "@meterplane/invoicing";
import { handleApiError } from "@/lib/api";
import { seller } from "@/lib/env";
import { isUuid } from "@/lib/fields";
import { services } from "@/lib/server";
import { requireRole } from "@/lib/session";

export const dynamic = "force-dynamic";

/** The invoice as a PDF, for any operator (a read: no CSRF token needed). */
export async function GET(
  _request: Request,
  { params }: { params: Promise<{ tenantId: string; id: string }> },
) {
  try {
    await requireRole("viewer");
    const { tenantId, id } = await params;
    if (!isUuid(tenantId) || !isUuid(id)) throw new AppError("NOT_FOUND", "no such invoice");
    const invoice = await services().db.prisma.invoice.findUnique({
      where: { tenantId_id: { tenantId, id } },
      select: { number: true },
    });
    const pdf = await renderInvoicePdf({ db: services().db, tenantId, invoiceId: id, seller: seller() });
    return new Response(new Uint8Array(pdf), {
      headers: {
        "content-type": "application/pdf",
        "content-disposition": `attachment; filename="invoice-${invoice?.number ?? id}.pdf"`,
        "cache-control": "private, no-store",
      },
    });
  } catch (error) {
    return handleApiError(error);
  }
}
