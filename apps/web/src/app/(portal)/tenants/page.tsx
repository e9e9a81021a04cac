import { listTenantsPage, tenantSorts } from "@meterplane/fleet";
import {
  ActionForm,
  Badge,
  DataTable,
  Field,
  FilterBar,
  PageHeader,
  type SearchParams,
  tableParams,
} from "@/components/ui";
import { services } from "@/lib/server";
import { hasRole, requireOperator } from "@/lib/session";
import { createTenantAction } from "./actions";

export const dynamic = "force-dynamic";

export default async function TenantsPage({ searchParams }: { searchParams: Promise<SearchParams> }) {
  const user = await requireOperator();
  const params = tableParams(await searchParams, {
    sortable: tenantSorts,
    defaultSort: "name",
  });
  const status = params.values.status;
  const { tenants, total } = await listTenantsPage({
    db: services().db,
    q: params.q,
    status: status === "active" || status === "suspended" ? status : undefined,
    sort: params.sort,
    dir: params.dir,
    skip: params.skip,
    take: params.pageSize,
  });
  return (
    <>
      <PageHeader title="Tenants" />
      {hasRole(user, "admin") ? (
        <ActionForm action={createTenantAction} submit="Create tenant" testId="create-tenant">
          <Field label="Name" name="name" required placeholder="Acme Apps" />
          <Field label="Slug" name="slug" required placeholder="acme-apps" hint="lowercase, digits, dashes" />
          <Field label="Currency" name="currency" defaultValue="USD" required maxLength={3} />
          <Field label="Billing email" name="email" type="email" placeholder="billing@acme.test" />
        </ActionForm>
      ) : null}
      <FilterBar
        params={params}
        placeholder="Name or slug"
        selects={[
          {
            name: "status",
            label: "Status",
            options: [
              { value: "active", label: "active" },
              { value: "suspended", label: "suspended" },
            ],
          },
        ]}
      />
      <DataTable
        testId="tenants"
        params={params}
        total={total}
        rows={tenants}
        rowKey={(t) => t.id}
        empty="Create the first tenant above, then give it an environment."
        columns={[
          {
            key: "name",
            label: "Name",
            sortable: true,
            render: (t) => <a href={`/tenants/${t.id}`}>{t.name}</a>,
          },
          { key: "slug", label: "Slug", sortable: true, render: (t) => <code>{t.slug}</code> },
          {
            key: "status",
            label: "Status",
            sortable: true,
            render: (t) => <Badge tone={t.status === "active" ? "good" : "bad"}>{t.status}</Badge>,
          },
          { key: "currency", label: "Currency", render: (t) => t.currency },
          { key: "envs", label: "Environments", numeric: true, render: (t) => t.environments },
          { key: "users", label: "Users", numeric: true, render: (t) => t.users },
          {
            key: "createdAt",
            label: "Created",
            sortable: true,
            render: (t) => t.createdAt.toISOString().slice(0, 10),
          },
        ]}
      />
    </>
  );
}
