import { chargeModelNames, supportedCurrencies } from "@meterplane/billing";
import { notFound } from "next/navigation";
import { ActionForm, DataTable, Hidden, PageHeader, Section } from "@/components/ui";
import { isUuid } from "@/lib/fields";
import { services } from "@/lib/server";
import { hasRole, requireOperator } from "@/lib/session";
import { createPlanVersionAction } from "../actions";
import { describeCharge, fromCharge } from "../charge-rows";
import { PlanVersionEditor } from "../plan-version-editor";

export const dynamic = "force-dynamic";

/** Shown per plan; the full list, with filters and paging, is on the Subscriptions page. */
const subscriptionsShown = 100;

/** A plan's versions, who is on which, and its next version (editing a plan never changes a version). */
export default async function PlanPage({ params }: { params: Promise<{ id: string }> }) {
  const { id } = await params;
  if (!isUuid(id)) notFound();
  const user = await requireOperator();
  const { prisma } = services().db;
  const [plan, metrics, subscriptions] = await Promise.all([
    prisma.plan.findUnique({
      where: { id },
      include: {
        versions: {
          orderBy: { version: "desc" },
          include: {
            charges: { include: { billableMetric: true }, orderBy: { position: "asc" } },
            _count: { select: { subscriptions: { where: { status: "active" } } } },
          },
        },
      },
    }),
    prisma.billableMetric.findMany({
      where: { archivedAt: null },
      distinct: ["code"],
      orderBy: [{ code: "asc" }, { version: "desc" }],
      select: { code: true, name: true },
    }),
    prisma.subscription.findMany({
      where: { planVersion: { planId: id }, status: "active" },
      include: { tenant: { select: { name: true } }, planVersion: { select: { version: true } } },
      orderBy: [{ planVersion: { version: "desc" } }, { startAt: "asc" }],
      take: subscriptionsShown,
    }),
  ]);
  if (!plan) notFound();
  const latest = plan.versions[0];
  return (
    <>
      <PageHeader title={`${plan.name} (${plan.code})`} />
      <Section title="Versions">
        <DataTable
          testId="versions"
          rows={plan.versions}
          rowKey={(v) => v.id}
          empty="This plan has no version."
          columns={[
            { key: "version", label: "Version", render: (v) => `v${v.version}` },
            { key: "terms", label: "Terms", render: (v) => `${v.currency} · ${v.interval}` },
            {
              key: "charges",
              label: "Charges",
              render: (v) => (
                <ul className="plain">
                  {v.charges.map((c) => (
                    <li key={c.id}>{describeCharge(c, c.billableMetric?.name)}</li>
                  ))}
                  {v.invoiceMinimum ? <li>invoice minimum {v.invoiceMinimum.toString()}</li> : null}
                </ul>
              ),
            },
            { key: "created", label: "Created", render: (v) => v.createdAt.toISOString().slice(0, 10) },
            {
              key: "subscriptions",
              label: "Active subscriptions",
              numeric: true,
              render: (v) => v._count.subscriptions,
            },
          ]}
        />
      </Section>
      <Section title="Subscriptions on this plan">
        <DataTable
          testId="plan-subscriptions"
          rows={subscriptions}
          rowKey={(s) => s.id}
          empty={<a href="/subscriptions">No active subscription: subscribe a tenant</a>}
          columns={[
            {
              key: "tenant",
              label: "Tenant",
              render: (s) => <a href={`/tenants/${s.tenantId}`}>{s.tenant.name}</a>,
            },
            { key: "version", label: "On version", render: (s) => `v${s.planVersion.version}` },
            { key: "start", label: "Since", render: (s) => s.startAt.toISOString().slice(0, 10) },
          ]}
        />
        <p className="muted">
          Move a subscription to another version on the <a href="/subscriptions">Subscriptions</a> page
          {subscriptions.length === subscriptionsShown ? `; the first ${subscriptionsShown} are shown` : ""}.
        </p>
      </Section>
      {hasRole(user, "billing") && latest ? (
        <Section title={`Edit: new version v${latest.version + 1}`}>
          <p className="muted">
            Saving creates the next version; subscriptions stay on theirs until moved, and finalized invoices
            never change.
          </p>
          <ActionForm action={createPlanVersionAction} submit="Save as new version" testId="new-version">
            <Hidden name="planId" value={plan.id} />
            <PlanVersionEditor
              models={chargeModelNames}
              currencies={supportedCurrencies}
              metrics={metrics}
              initial={{
                currency: latest.currency,
                interval: latest.interval,
                invoiceMinimum: latest.invoiceMinimum?.toString() ?? "",
                charges: latest.charges.map((c) =>
                  fromCharge({
                    ...c,
                    metric: c.billableMetric?.code ?? null,
                    freeUnits: c.freeUnits.toString(),
                    minimumAmount: c.minimumAmount?.toString() ?? null,
                  }),
                ),
              }}
            />
          </ActionForm>
        </Section>
      ) : null}
    </>
  );
}
