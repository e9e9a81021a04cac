import { formatMoney, formatPeriod } from "@meterplane/billing";
import { isAppError } from "@meterplane/core";
import { listInvoices } from "@meterplane/exports";
import { notFound } from "next/navigation";
import { z } from "zod";
import { EmptyState, PageHeader } from "@/components/ui";
import { services } from "@/lib/server";
import { requireTenantUser } from "@/lib/tenant-session";

export default async function InvoicesPage({
  params,
  searchParams,
}: {
  params: Promise<{ tenantId: string }>;
  searchParams: Promise<{ cursor?: string }>;
}) {
  const { tenantId } = await requireTenantUser((await params).tenantId);
  const cursor = z
    .string()
    .max(512)
    .optional()
    .catch(undefined)
    .parse((await searchParams).cursor);
  // A cursor is ours and intact or the link was tampered with: such a page does not exist.
  const page = await listInvoices({ db: services().db, tenantId, limit: 50, cursor }).catch(
    (error: unknown) => {
      if (isAppError(error) && error.code === "VALIDATION_FAILED") notFound();
      throw error;
    },
  );
  const base = `/tenant/${tenantId}/invoices`;
  return (
    <>
      <PageHeader title="Invoices" />
      {page.data.length ? (
        <div className="table-wrap">
          <table data-testid="invoices">
            <thead>
              <tr>
                <th>Number</th>
                <th>Period</th>
                <th>Status</th>
                <th className="num">Total</th>
                <th>Download</th>
              </tr>
            </thead>
            <tbody>
              {page.data.map((invoice) => (
                <tr key={invoice.id}>
                  <td>
                    <a href={`${base}/${invoice.id}`}>{invoice.number ?? "—"}</a>
                  </td>
                  <td className="nowrap">
                    {formatPeriod(new Date(invoice.periodStart), new Date(invoice.periodEnd))}
                  </td>
                  <td>{invoice.status}</td>
                  <td className="num">{formatMoney(invoice.total, invoice.currency)}</td>
                  <td className="nowrap">
                    <a href={`${base}/${invoice.id}/invoice.pdf`}>PDF</a> ·{" "}
                    <a href={`${base}/${invoice.id}/invoice.csv`}>CSV</a>
                  </td>
                </tr>
              ))}
            </tbody>
          </table>
        </div>
      ) : (
        <EmptyState title="No invoices yet">Invoices appear here once a billing period is closed.</EmptyState>
      )}
      {page.nextCursor ? (
        <a href={`${base}?cursor=${encodeURIComponent(page.nextCursor)}`}>Older invoices →</a>
      ) : null}
    </>
  );
}
