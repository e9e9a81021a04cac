import { chargeModelNames, supportedCurrencies } from "@meterplane/billing";
import { ActionForm, DataTable, Field, PageHeader, Section } from "@/components/ui";
import { services } from "@/lib/server";
import { hasRole, requireOperator } from "@/lib/session";
import { createPlanAction } from "./actions";
import { blankRow, describeCharge } from "./charge-rows";
import { MetricSection } from "./metric-forms";
import { PlanVersionEditor } from "./plan-version-editor";

export const dynamic = "force-dynamic";

export default async function PlansPage() {
  const user = await requireOperator();
  const { prisma } = services().db;
  const [plans, metrics] = await Promise.all([
    prisma.plan.findMany({
      orderBy: { name: "asc" },
      include: {
        versions: {
          orderBy: { version: "desc" },
          take: 1,
          include: {
            charges: { include: { billableMetric: true }, orderBy: { position: "asc" } },
            _count: { select: { subscriptions: true } },
          },
        },
      },
    }),
    // The latest version of each metric.
    prisma.billableMetric.findMany({ distinct: ["code"], orderBy: [{ code: "asc" }, { version: "desc" }] }),
  ]);
  const chargeable = metrics.filter((m) => m.archivedAt === null);
  const billing = hasRole(user, "billing");
  return (
    <>
      <PageHeader title="Plans & pricing" />
      <DataTable
        testId="plans"
        rows={plans}
        rowKey={(p) => p.id}
        empty="No plans yet: create one below, then subscribe a tenant to it."
        columns={[
          {
            key: "name",
            label: "Plan",
            render: (p) => (
              <a href={`/plans/${p.id}`}>
                {p.name} ({p.code})
              </a>
            ),
          },
          {
            key: "version",
            label: "Latest",
            render: (p) =>
              `v${p.versions[0]?.version ?? "?"} · ${p.versions[0]?.currency} · ${p.versions[0]?.interval}`,
          },
          {
            key: "charges",
            label: "Charges",
            render: (p) =>
              p.versions[0]?.charges.map((c) => describeCharge(c, c.billableMetric?.name)).join("; "),
          },
          {
            key: "subs",
            label: "Subscriptions",
            numeric: true,
            render: (p) => p.versions[0]?._count.subscriptions ?? 0,
          },
        ]}
      />
      {billing ? (
        <>
          <Section title="New plan">
            <ActionForm action={createPlanAction} submit="Create plan" testId="create-plan">
              <Field label="Code" name="code" required placeholder="pro" />
              <Field label="Name" name="name" required placeholder="Pro" />
              <PlanVersionEditor
                models={chargeModelNames}
                currencies={supportedCurrencies}
                metrics={chargeable.map((m) => ({ code: m.code, name: m.name }))}
                initial={{
                  currency: "USD",
                  interval: "monthly",
                  invoiceMinimum: "",
                  charges: [
                    chargeable[0]
                      ? blankRow("per_unit", chargeable[0].code)
                      : { ...blankRow("flat", ""), name: "Base fee", amount: "49" },
                  ],
                }}
              />
            </ActionForm>
          </Section>
          <Section title="Billable metrics">
            <MetricSection metrics={metrics} canEdit={billing} />
          </Section>
        </>
      ) : null}
    </>
  );
}
