import { onlyMatch } from "@meterplane/core";
import { environmentReporting, environmentSorts, listEnvironmentsPage, searchHosts } from "@meterplane/fleet";
import { meterNames } from "@meterplane/wire";
import {
  ActionForm,
  Checkboxes,
  DataTable,
  Field,
  FilterBar,
  PageHeader,
  Picker,
  type SearchParams,
  SelectField,
  tableParams,
} from "@/components/ui";
import { environmentKinds } from "@/lib/fields";
import { services } from "@/lib/server";
import { hasRole, requireOperator } from "@/lib/session";
import { createEnvironmentAction } from "./actions";
import { ReportingBadge } from "./reporting-badge";

export const dynamic = "force-dynamic";

export default async function EnvironmentsPage({ searchParams }: { searchParams: Promise<SearchParams> }) {
  const user = await requireOperator();
  const params = tableParams(await searchParams, {
    sortable: environmentSorts,
    defaultSort: "name",
  });
  const kind = environmentKinds.find((k) => k === params.values.kind);
  const admin = hasRole(user, "admin");
  const [{ environments, total }, hosts, tenant] = await Promise.all([
    listEnvironmentsPage({
      db: services().db,
      q: params.q,
      kind,
      sort: params.sort,
      dir: params.dir,
      skip: params.skip,
      take: params.pageSize,
    }),
    // The add form needs a host to exist; with only one, it is the choice already.
    admin ? searchHosts({ db: services().db }) : null,
    // A tenant named in the URL (its page's "add environment") is the choice already.
    admin && params.values.tenant
      ? services().db.prisma.tenant.findFirst({
          where: { slug: params.values.tenant, status: "active" },
          select: { id: true, name: true, slug: true },
        })
      : null,
  ]);
  const reporting = await environmentReporting({
    db: services().db,
    environmentIds: environments.map((e) => e.id),
  });
  return (
    <>
      <PageHeader title="Environments" />
      {hosts ? (
        hosts.matches.length ? (
          <ActionForm action={createEnvironmentAction} submit="Add environment" testId="create-environment">
            <Picker
              label="Tenant"
              name="tenantId"
              source="tenants"
              initial={tenant ? { id: tenant.id, label: `${tenant.name} (${tenant.slug})` } : undefined}
            />
            <Picker label="Host" name="hostId" source="hosts" initial={onlyMatch(hosts)} />
            <Field label="Name" name="name" required placeholder="web-app" />
            <SelectField
              label="Kind"
              name="kind"
              options={environmentKinds.map((k) => ({ value: k, label: k }))}
            />
            <Field
              label="Selector"
              name="selector"
              required
              placeholder="system.slice/app.service"
              hint="cgroup: a path under /sys/fs/cgroup · systemd unit: nginx.service · container: 12–64 hex of its id · process tree: pid:1234 or cmdline:<regex>"
            />
            <Checkboxes label="Meters (none ticked = all)" name="meters" options={meterNames} />
          </ActionForm>
        ) : (
          <p className="muted">
            Add a <a href="/hosts">host</a> first: every environment runs on one.
          </p>
        )
      ) : null}
      <FilterBar
        params={params}
        placeholder="Environment, tenant or host"
        selects={[
          { name: "kind", label: "Kind", options: environmentKinds.map((k) => ({ value: k, label: k })) },
        ]}
      />
      <DataTable
        testId="environments"
        params={params}
        total={total}
        rows={environments}
        rowKey={(e) => e.id}
        empty="No environments yet. Add a host and an environment to start metering."
        columns={[
          {
            key: "name",
            label: "Environment",
            sortable: true,
            render: (e) => <a href={`/environments/${e.id}`}>{e.name}</a>,
          },
          {
            key: "tenant",
            label: "Tenant",
            render: (e) => <a href={`/tenants/${e.tenantId}`}>{e.tenant.name}</a>,
          },
          { key: "host", label: "Host", render: (e) => <a href={`/hosts/${e.hostId}`}>{e.host.name}</a> },
          { key: "kind", label: "Kind", sortable: true, render: (e) => e.kind },
          { key: "selector", label: "Selector", render: (e) => <code>{e.selector}</code> },
          { key: "meters", label: "Meters", render: (e) => (e.meters.length ? e.meters.join(", ") : "all") },
          {
            key: "reporting",
            label: "Reporting",
            render: (e) => <ReportingBadge reporting={reporting.get(e.id)} />,
          },
        ]}
      />
    </>
  );
}
