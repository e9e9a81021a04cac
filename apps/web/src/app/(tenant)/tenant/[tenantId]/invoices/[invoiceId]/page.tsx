import { getInvoice } from "@meterplane/exports";
import { getInvoiceDocument } from "@meterplane/invoicing";
import { notFound } from "next/navigation";
import { z } from "zod";
import { InvoiceView } from "@/components/invoice/invoice-view";
import { PageHeader } from "@/components/ui";
import { seller } from "@/lib/env";
import { services } from "@/lib/server";
import { requireTenantUser } from "@/lib/tenant-session";

/** The member's invoice, the same document the operator sees and the PDF prints, credit notes included. */
export default async function InvoicePage({
  params,
}: {
  params: Promise<{ tenantId: string; invoiceId: string }>;
}) {
  const route = await params;
  const { tenantId } = await requireTenantUser(route.tenantId);
  const invoiceId = z.uuid().safeParse(route.invoiceId);
  if (!invoiceId.success) notFound();
  const { db } = services();
  // Visibility first: a tenant sees only its own invoices once they are final.
  const visible = await getInvoice({ db, tenantId, invoiceId: invoiceId.data });
  if (!visible) notFound();
  const invoice = await getInvoiceDocument({ db, tenantId, invoiceId: visible.id, seller: seller() });
  const base = `/tenant/${tenantId}/invoices/${invoice.id}`;
  return (
    <>
      <PageHeader title={`Invoice ${invoice.number ?? ""}`}>
        <a className="btn btn-secondary" href={`${base}/invoice.csv`}>
          Download CSV
        </a>
        <a className="btn btn-secondary" href={`${base}/invoice.pdf`}>
          Download PDF
        </a>
      </PageHeader>
      <InvoiceView invoice={invoice} />
    </>
  );
}
