import { AutoRefresh } from "@/components/auto-refresh";
import { ActionForm, Badge, DataTable, PageHeader, Section } from "@/components/ui";
import { services } from "@/lib/server";
import { hasRole, requireOperator } from "@/lib/session";
import { retryStripeSyncAction, runInvoicingNowAction } from "./actions";

export const dynamic = "force-dynamic";

interface Failure {
  tenantId?: string;
  subscriptionId?: string;
  message?: string;
}

/** Each period's invoice run: how far it got, what failed and why; and invoices Stripe has not accepted. */
export default async function InvoiceRunsPage() {
  const user = await requireOperator();
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
  // A run finalizes its invoices at its cut-off: they are the ones finalized at that instant.
  const invoices = await prisma.invoice.findMany({
    where: { finalizedAt: { in: runs.map((r) => r.periodEnd) } },
    select: { id: true, tenantId: true, number: true, finalizedAt: true, tenant: { select: { name: true } } },
    orderBy: { number: "asc" },
  });
  const invoicesOf = (at: Date) => invoices.filter((i) => i.finalizedAt?.getTime() === at.getTime());
  return (
    <>
      {runs.some((r) => r.status === "running") ? <AutoRefresh seconds={2} /> : null}
      <PageHeader title="Invoice runs">
        {hasRole(user, "billing") ? (
          <ActionForm action={runInvoicingNowAction} submit="Run invoicing now" inline testId="run-invoicing">
            <span className="muted">Updates every draft and finalizes every period that has ended.</span>
          </ActionForm>
        ) : null}
      </PageHeader>
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
            key: "invoices",
            label: "Invoices finalized",
            render: (r) =>
              invoicesOf(r.periodEnd).map((i) => (
                <div key={i.id}>
                  <a href={`/invoices/${i.tenantId}/${i.id}`}>{i.number}</a> {i.tenant.name}
                </div>
              )),
          },
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
