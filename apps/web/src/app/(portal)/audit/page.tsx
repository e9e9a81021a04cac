import { listAuditLog } from "@meterplane/access";
import { DataTable, FilterBar, PageHeader, type SearchParams, tableParams } from "@/components/ui";
import { isUuid } from "@/lib/fields";
import { services } from "@/lib/server";
import { requireOperator } from "@/lib/session";

export const dynamic = "force-dynamic";

function Json({ value }: { value: unknown }) {
  if (value === null || value === undefined) return <span className="muted">—</span>;
  return (
    <details>
      <summary>show</summary>
      <pre>{JSON.stringify(value, null, 2)}</pre>
    </details>
  );
}

/** Who did what, when, and the row before and after: every portal mutation writes here in its transaction. */
export default async function AuditPage({ searchParams }: { searchParams: Promise<SearchParams> }) {
  await requireOperator();
  const params = tableParams(await searchParams, {
    sortable: ["at"] as const,
    defaultSort: "at",
    defaultDir: "desc",
    pageSize: 50,
  });
  const tenant = params.values.tenant;
  const { rows, total } = await listAuditLog({
    db: services().db,
    action: params.q || null,
    tenantId: isUuid(tenant) ? tenant : null,
    entityId: params.values.entity || null,
    page: params.page,
    pageSize: params.pageSize,
  });
  return (
    <>
      <PageHeader title="Audit log" />
      <FilterBar params={params} placeholder="Action prefix, e.g. tenant. or invoice.finalize" />
      <DataTable
        testId="audit"
        params={params}
        total={total}
        rows={rows}
        rowKey={(r) => r.id}
        empty="Nothing has changed yet."
        columns={[
          {
            key: "at",
            label: "When (UTC)",
            render: (r) => r.at.toISOString().replace("T", " ").slice(0, 19),
          },
          {
            key: "who",
            label: "Who",
            render: (r) => r.actorEmail ?? `${r.actorKind}${r.actorId ? ` ${r.actorId.slice(0, 8)}` : ""}`,
          },
          { key: "action", label: "Action", render: (r) => <code>{r.action}</code> },
          {
            key: "entity",
            label: "What",
            render: (r) => <a href={`?entity=${r.entityId}`}>{`${r.entity} ${r.entityId.slice(0, 8)}`}</a>,
          },
          { key: "before", label: "Before", render: (r) => <Json value={r.before} /> },
          { key: "after", label: "After", render: (r) => <Json value={r.after} /> },
        ]}
      />
    </>
  );
}
