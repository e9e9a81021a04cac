import { chargeModelNames } from "@meterplane/billing";
import { ActionForm, DataTable, Field, PageHeader, Section, SelectField } from "@/components/ui";
import { services } from "@/lib/server";
import { hasRole, requireOperator } from "@/lib/session";
import { createMetricAction, createPlanAction } from "./actions";
import { blankRow, describeCharge } from "./charge-rows";
import { PlanVersionEditor } from "./plan-version-editor";

export const dynamic = "force-dynamic";

const aggregations = ["sum", "max", "avg", "time_weighted", "latest", "unique"].map((a) => ({
  value: a,
  label: a,
}));

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
    prisma.billableMetric.findMany({ orderBy: { name: "asc" } }),
  ]);
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
                metrics={metrics.map((m) => ({ code: m.code, name: m.name }))}
                initial={{
                  currency: "USD",
                  interval: "monthly",
                  invoiceMinimum: "",
                  charges: [
                    metrics[0]
                      ? blankRow("per_unit", metrics[0].code)
                      : { ...blankRow("flat", ""), name: "Base fee", amount: "49" },
                  ],
                }}
              />
            </ActionForm>
          </Section>
          <Section title="Billable metrics">
            <DataTable
              rows={metrics}
              rowKey={(m) => m.id}
              empty="No billable metrics: define one to charge for usage."
              columns={[
                { key: "code", label: "Code", render: (m) => <code>{m.code}</code> },
                { key: "name", label: "Name", render: (m) => m.name },
                {
                  key: "def",
                  label: "Definition",
                  render: (m) => `${m.aggregation}(${m.meter}) ÷ ${m.divisor.toString()} → ${m.unit}`,
                },
              ]}
            />
            <ActionForm action={createMetricAction} submit="Add metric">
              <Field label="Code" name="code" required placeholder="cpu_core_hours" />
              <Field label="Name" name="name" required placeholder="CPU" />
              <Field label="Meter" name="meter" required placeholder="cpu" />
              <SelectField label="Aggregation" name="aggregation" options={aggregations} />
              <Field label="Unit" name="unit" required placeholder="core-hours" />
              <Field label="Divisor" name="divisor" defaultValue="1" />
            </ActionForm>
          </Section>
        </>
      ) : null}
    </>
  );
}
