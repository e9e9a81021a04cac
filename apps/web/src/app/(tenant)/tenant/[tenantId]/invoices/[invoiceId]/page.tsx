import { getInvoice, listInvoiceLines } from "@meterplane/exports";
import { notFound } from "next/navigation";
import { z } from "zod";
import { PageHeader } from "@/components/ui";
import { services } from "@/lib/server";
import { requireTenantUser } from "@/lib/tenant-session";

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
  const invoice = await getInvoice({ db, tenantId, invoiceId: invoiceId.data });
  if (!invoice) notFound();
  const lines = await listInvoiceLines({ db, tenantId, invoiceId: invoice.id, limit: 1000 });
  return (
    <>
      <PageHeader title={`Invoice ${invoice.number ?? ""}`}>
        <a className="btn btn-secondary" href={`/tenant/${tenantId}/invoices/${invoice.id}/invoice.csv`}>
          Download CSV
        </a>
        <a className="btn btn-secondary" href={`/tenant/${tenantId}/invoices/${invoice.id}/invoice.pdf`}>
          Download PDF
        </a>
      </PageHeader>
      <p>
        {invoice.periodStart.slice(0, 10)} – {invoice.periodEnd.slice(0, 10)} · {invoice.status}
      </p>
      <table data-testid="invoice-lines">
        <thead>
          <tr>
            <th>Description</th>
            <th>Quantity</th>
            <th>Unit price</th>
            <th>Amount</th>
          </tr>
        </thead>
        <tbody>
          {lines.data.map((line) => (
            <tr key={line.id}>
              <td>{line.description}</td>
              <td>{line.quantity}</td>
              <td>{line.unitPrice}</td>
              <td>{line.amount}</td>
            </tr>
          ))}
        </tbody>
        <tfoot>
          <tr>
            <td colSpan={3}>Total</td>
            <td>
              {invoice.total} {invoice.currency}
            </td>
          </tr>
        </tfoot>
      </table>
    </>
  );
}
