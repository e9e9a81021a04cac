import { ActionForm, Badge, DataTable, PageHeader, Section } from "@/components/ui";
import { services } from "@/lib/server";
import { requireOperator } from "@/lib/session";
import { retryStripeSyncAction } from "./actions";

export const dynamic = "force-dynamic";

interface Failure {
  tenantId?: string;
  subscriptionId?: string;
  message?: string;
}

/** Each period's invoice run: how far it got, what failed and why; and invoices Stripe has not accepted. */
export default async function InvoiceRunsPage() {
  await requireOperator();
  const { prisma } = services().db;
  const [runs, failedSyncs] = await Promise.all([
    prisma.invoiceRun.findMany({ orderBy: { periodEnd: "desc" }, take: 24 }),
    prisma.stripeInvoice.findMany({
      where: { state: "failed" },
      include: { invoice: { select: { number: true, tenant: { select: { name: true } } } } },
      orderBy: { updatedAt: "desc" },
      take: 50,
    }),
  ]);
  return (
    <>
      <PageHeader title="Invoice runs" />
      <DataTable
        testId="runs"
        rows={runs}
        rowKey={(r) => r.id}
        empty="No invoice run yet: the worker starts one when a billing period closes."
        columns={[
          {
            key: "period",
            label: "Period end",
            render: (r) => <span id={r.id}>{r.periodEnd.toISOString().slice(0, 10)}</span>,
          },
          {
            key: "status",
            label: "Status",
            render: (r) => (
              <Badge tone={r.status === "completed" ? "good" : r.status === "failed" ? "bad" : "warn"}>
                {r.status}
              </Badge>
            ),
          },
          {
            key: "progress",
            label: "Progress",
            render: (r) => (
              <>
                <progress max={Math.max(r.total, 1)} value={r.succeeded + r.failed} />{" "}
                {r.succeeded + r.failed}/{r.total}
              </>
            ),
          },
          { key: "failed", label: "Failed", numeric: true, render: (r) => r.failed },
          {
            key: "amounts",
            label: "Invoiced",
            render: (r) =>
              Object.entries(r.amounts as Record<string, string>)
                .map(([c, a]) => `${c} ${a}`)
                .join(" · ") || "—",
          },
          {
            key: "failures",
            label: "Failures",
            render: (r) =>
              (r.failures as Failure[]).length ? (
                <details>
                  <summary>{(r.failures as Failure[]).length} failures</summary>
                  <ul>
                    {(r.failures as Failure[]).slice(0, 20).map((f) => (
                      <li key={`${f.tenantId}-${f.subscriptionId}`}>
                        {f.tenantId ? <a href={`/tenants/${f.tenantId}`}>{f.tenantId.slice(0, 8)}</a> : null}:{" "}
                        {f.message}
                      </li>
                    ))}
                  </ul>
                </details>
              ) : (
                "—"
              ),
          },
        ]}
      />
      <Section title="Stripe sync failures">
        <DataTable
          rows={failedSyncs}
          rowKey={(s) => s.invoiceId}
          empty="Every finalized invoice reached Stripe (or Stripe is not configured)."
          columns={[
            {
              key: "invoice",
              label: "Invoice",
              render: (s) => (
                <a href={`/invoices/${s.tenantId}/${s.invoiceId}`}>
                  {s.invoice.number ?? s.invoiceId.slice(0, 8)}
                </a>
              ),
            },
            { key: "tenant", label: "Tenant", render: (s) => s.invoice.tenant.name },
            { key: "attempts", label: "Attempts", numeric: true, render: (s) => s.attempts },
            { key: "error", label: "Last error", render: (s) => s.lastError ?? "—" },
            {
              key: "retry",
              label: "",
              render: (s) => (
                <ActionForm action={retryStripeSyncAction} submit="Retry" variant="secondary" inline>
                  <input type="hidden" name="tenantId" value={s.tenantId} />
                  <input type="hidden" name="invoiceId" value={s.invoiceId} />
                </ActionForm>
              ),
            },
          ]}
        />
      </Section>
    </>
  );
}
