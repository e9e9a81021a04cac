import { hostSorts, lastBatches, listHostsPage } from "@meterplane/fleet";
import {
  ActionForm,
  DataTable,
  Field,
  FilterBar,
  PageHeader,
  type SearchParams,
  SelectField,
  tableParams,
} from "@/components/ui";
import { services } from "@/lib/server";
import { hasRole, requireOperator } from "@/lib/session";
import { createHostAction } from "./actions";
import { DeadLetteredBatches } from "./dead-lettered-batches";
import { HostState, UpgradeState, when } from "./host-state";

export const dynamic = "force-dynamic";

export default async function HostsPage({ searchParams }: { searchParams: Promise<SearchParams> }) {
  const user = await requireOperator();
  const params = tableParams(await searchParams, {
    sortable: hostSorts,
    defaultSort: "name",
  });
  const { hosts, total, policies, groups } = await listHostsPage({
    db: services().db,
    q: params.q,
    group: params.values.group || undefined,
    sort: params.sort,
    dir: params.dir,
    skip: params.skip,
    take: params.pageSize,
  });
  const batches = await lastBatches({ db: services().db, hostIds: hosts.map((h) => h.id) });
  return (
    <>
      <PageHeader title="Hosts" />
      {hasRole(user, "admin") ? (
        <ActionForm action={createHostAction} submit="Add host" testId="create-host">
          <Field label="Name" name="name" required placeholder="web-01" />
          <Field
            label="Group"
            name="group"
            placeholder="(default)"
            hint="hosts in a group share a minimum version"
          />
          <SelectField
            label="Client policy"
            name="policyId"
            options={[
              { value: "", label: "default" },
              ...policies.map((p) => ({ value: p.id, label: p.name })),
            ]}
          />
        </ActionForm>
      ) : null}
      <FilterBar
        params={params}
        placeholder="Host name"
        selects={[
          {
            name: "group",
            label: "Group",
            options: groups.map((g) => ({ value: g.group!, label: g.group! })),
          },
        ]}
      />
      <DataTable
        testId="hosts"
        params={params}
        total={total}
        rows={hosts}
        rowKey={(h) => h.id}
        empty="Add a host, then issue it an enrollment token and run the collector there."
        columns={[
          {
            key: "name",
            label: "Host",
            sortable: true,
            render: (h) => <a href={`/hosts/${h.id}`}>{h.name}</a>,
          },
          { key: "state", label: "State", render: (h) => <HostState lastSeenAt={h.lastSeenAt} /> },
          { key: "lastSeenAt", label: "Last contact", sortable: true, render: (h) => when(h.lastSeenAt) },
          {
            key: "collectorVersion",
            label: "Collector",
            sortable: true,
            render: (h) => h.collectorVersion ?? "—",
          },
          {
            key: "upgrade",
            label: "Upgrade",
            render: (h) => (
              <UpgradeState state={h.upgradeState} target={h.upgradeTarget} reason={h.upgradeReason} />
            ),
          },
          {
            key: "lastBatch",
            label: "Last batch",
            render: (h) => when(batches.get(h.id)?.receivedAt ?? null),
          },
          { key: "group", label: "Group", sortable: true, render: (h) => h.group ?? "default" },
          { key: "policy", label: "Policy", render: (h) => h.policy?.name ?? "default" },
          { key: "envs", label: "Environments", numeric: true, render: (h) => h._count.environments },
        ]}
      />
      <DeadLetteredBatches />
    </>
  );
}
