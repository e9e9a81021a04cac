import { formatMoney, formatPeriod } from "@meterplane/billing";
import type { InvoiceStatus } from "@meterplane/db";
import { invoiceSorts, listInvoicesPage } from "@meterplane/invoicing";
import { Badge, DataTable, FilterBar, PageHeader, type SearchParams, tableParams } from "@/components/ui";
import { services } from "@/lib/server";
import { requireOperator } from "@/lib/session";

export const dynamic = "force-dynamic";

const statuses: InvoiceStatus[] = ["draft", "finalized", "paid", "void", "uncollectible"];
const tone = {
  draft: "neutral",
  finalized: "warn",
  paid: "good",
  void: "bad",
  uncollectible: "bad",
} as const;

export default async function InvoicesPage({ searchParams }: { searchParams: Promise<SearchParams> }) {
  await requireOperator();
  const params = tableParams(await searchParams, {
    sortable: invoiceSorts,
    defaultSort: "periodStart",
    defaultDir: "desc",
  });
  const status = statuses.find((s) => s === params.values.status);
  const { invoices, total } = await listInvoicesPage({
    db: services().db,
    status,
    q: params.q,
    sort: params.sort,
    dir: params.dir,
    skip: params.skip,
    take: params.pageSize,
  });
  return (
    <>
      <PageHeader title="Invoices" />
      <FilterBar
        params={params}
        placeholder="Number or tenant slug"
        selects={[
          { name: "status", label: "Status", options: statuses.map((s) => ({ value: s, label: s })) },
        ]}
      />
      <DataTable
        testId="invoices"
        params={params}
        total={total}
        rows={invoices}
        rowKey={(i) => i.id}
        empty="No invoices yet: rate a subscription's period, or wait for the invoice run."
        columns={[
          {
            key: "number",
            label: "Invoice",
            sortable: true,
            render: (i) => (
              <a href={`/invoices/${i.tenantId}/${i.id}`}>{i.number ?? `draft ${i.id.slice(0, 8)}`}</a>
            ),
          },
          { key: "tenant", label: "Tenant", render: (i) => i.tenant.name },
          {
            key: "periodStart",
            label: "Period",
            sortable: true,
            render: (i) => <span className="nowrap">{formatPeriod(i.periodStart, i.periodEnd)}</span>,
          },
          { key: "status", label: "Status", render: (i) => <Badge tone={tone[i.status]}>{i.status}</Badge> },
          {
            key: "total",
            label: "Total",
            sortable: true,
            numeric: true,
            render: (i) => formatMoney(i.total, i.currency),
          },
        ]}
      />
    </>
  );
}
