import { listSubscriptionsPage, planVersionLabel, subscriptionSorts } from "@meterplane/invoicing";
import {
  ActionForm,
  Badge,
  DataTable,
  Field,
  FilterBar,
  Hidden,
  PageHeader,
  Picker,
  type SearchParams,
  tableParams,
} from "@/components/ui";
import { services } from "@/lib/server";
import { hasRole, requireOperator } from "@/lib/session";
import {
  cancelSubscriptionAction,
  createSubscriptionAction,
  moveSubscriptionAction,
  rateSubscriptionAction,
} from "./actions";

export const dynamic = "force-dynamic";

const day = (d: Date) => d.toISOString().slice(0, 10);

export default async function SubscriptionsPage({ searchParams }: { searchParams: Promise<SearchParams> }) {
  const user = await requireOperator();
  const params = tableParams(await searchParams, {
    sortable: subscriptionSorts,
    defaultSort: "startAt",
    defaultDir: "desc",
  });
  const status = params.values.status;
  const { subscriptions, total, versions } = await listSubscriptionsPage({
    db: services().db,
    q: params.q,
    status: status === "active" || status === "canceled" ? status : undefined,
    sort: params.sort,
    dir: params.dir,
    skip: params.skip,
    take: params.pageSize,
  });
  const billing = hasRole(user, "billing");
  const now = new Date();
  return (
    <>
      <PageHeader title="Subscriptions" />
      {billing && versions.length ? (
        <ActionForm action={createSubscriptionAction} submit="Subscribe" testId="create-subscription">
          <Picker label="Tenant" name="tenantId" source="tenants" />
          <Picker
            label="Plan"
            name="planVersionId"
            source="plan-versions"
            noun="plan version"
            // With one version there is nothing to choose.
            initial={
              versions.length === 1
                ? { id: versions[0]!.id, label: planVersionLabel(versions[0]!) }
                : undefined
            }
          />
          <Field
            label="Start (UTC)"
            name="startAt"
            type="date"
            required
            defaultValue={day(now)}
            hint="billed from this day"
          />
          <Field
            label="Billing anchor (UTC, optional)"
            name="billingAnchor"
            type="datetime-local"
            hint="periods start on this day of the month at this time; empty: the start. A first period that began before the start is prorated"
          />
        </ActionForm>
      ) : null}
      <FilterBar
        params={params}
        placeholder="Tenant"
        selects={[
          {
            name: "status",
            label: "Status",
            options: [
              { value: "active", label: "active" },
              { value: "canceled", label: "canceled" },
            ],
          },
        ]}
      />
      <DataTable
        testId="subscriptions"
        params={params}
        total={total}
        rows={subscriptions}
        rowKey={(s) => s.id}
        empty="No subscriptions: create a plan, then subscribe a tenant to it."
        columns={[
          {
            key: "tenant",
            label: "Tenant",
            render: (s) => <a href={`/tenants/${s.tenantId}`}>{s.tenant.name}</a>,
          },
          {
            key: "plan",
            label: "Plan",
            render: (s) => `${s.planVersion.plan.name} v${s.planVersion.version}`,
          },
          {
            key: "status",
            label: "Status",
            render: (s) => <Badge tone={s.status === "active" ? "good" : "neutral"}>{s.status}</Badge>,
          },
          { key: "startAt", label: "Start", sortable: true, render: (s) => day(s.startAt) },
          {
            key: "actions",
            label: "",
            render: (s) =>
              billing && s.status === "active" ? (
                <>
                  <ActionForm
                    inline
                    action={rateSubscriptionAction}
                    submit="Update draft invoice"
                    variant="secondary"
                    testId="rate-period"
                  >
                    <Hidden name="tenantId" value={s.tenantId} />
                    <Hidden name="subscriptionId" value={s.id} />
                    <input
                      type="date"
                      name="at"
                      defaultValue={day(now)}
                      aria-label="For the period containing"
                    />
                  </ActionForm>{" "}
                  {versions.some((v) => v.id !== s.planVersionId) ? (
                    <ActionForm
                      inline
                      action={moveSubscriptionAction}
                      submit="Move"
                      variant="secondary"
                      testId="move-subscription"
                      confirm="Move to this plan version? Periods not yet finalized are rated on it."
                    >
                      <Hidden name="tenantId" value={s.tenantId} />
                      <Hidden name="subscriptionId" value={s.id} />
                      <select name="planVersionId" aria-label="Move to plan version" required defaultValue="">
                        <option value="" disabled>
                          move to…
                        </option>
                        {versions
                          .filter((v) => v.id !== s.planVersionId)
                          .map((v) => (
                            <option key={v.id} value={v.id}>
                              {planVersionLabel(v)}
                            </option>
                          ))}
                      </select>
                    </ActionForm>
                  ) : null}{" "}
                  <ActionForm
                    inline
                    action={cancelSubscriptionAction}
                    submit="Cancel"
                    variant="danger"
                    confirm="Cancel now? Usage stops being billed from this instant."
                  >
                    <Hidden name="tenantId" value={s.tenantId} />
                    <Hidden name="subscriptionId" value={s.id} />
                  </ActionForm>
                </>
              ) : null,
          },
        ]}
      />
    </>
  );
}
