import { listEnvironments } from "@meterplane/exports";
import { PageHeader } from "@/components/ui";
import { UsageControls } from "@/components/usage/usage-controls";
import { UsagePanel } from "@/components/usage/usage-panel";
import { services } from "@/lib/server";
import { requireTenantUser } from "@/lib/tenant-session";
import { loadUsageCharts, usageQuery, usageRangeOf } from "@/lib/usage-series";

/** The tenant's usage of every meter over a range, in total or split by environment or dimension. */
export default async function UsagePage({
  params,
  searchParams,
}: {
  params: Promise<{ tenantId: string }>;
  searchParams: Promise<Record<string, string>>;
}) {
  const { tenantId } = await requireTenantUser((await params).tenantId);
  const query = usageQuery.parse(await searchParams);
  if (query.by === "tenant") query.by = "total";
  const range = usageRangeOf(query, "7d");
  const { db } = services();
  const environments = (await listEnvironments({ db, tenantId, limit: 1000 })).data;
  const names = new Map(environments.map((e) => [e.id, e.name]));
  const charts =
    "error" in range
      ? []
      : await loadUsageCharts({
          db,
          tenantId,
          environmentId: query.environment,
          query,
          range,
          labels: async () => names,
        });
  return (
    <>
      <PageHeader title="Usage" />
      <UsageControls
        path={`/tenant/${tenantId}/usage`}
        query={query}
        range={"error" in range ? null : range}
        splits={["total", "environment", "dimension"]}
      >
        <label>
          Environment
          <select name="environment" defaultValue={query.environment ?? ""}>
            <option value="">all</option>
            {environments.map((e) => (
              <option key={e.id} value={e.id}>
                {e.name}
              </option>
            ))}
          </select>
        </label>
      </UsageControls>
      <UsagePanel
        range={range}
        charts={charts}
        emptyHint="Pick another range, or check that your collectors ship."
      />
    </>
  );
}
