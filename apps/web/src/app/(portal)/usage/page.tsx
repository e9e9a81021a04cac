import { PageHeader, type SearchParams } from "@/components/ui";
import { UsageControls } from "@/components/usage/usage-controls";
import { UsagePanel } from "@/components/usage/usage-panel";
import { services } from "@/lib/server";
import { requireOperator } from "@/lib/session";
import { loadUsageCharts, type UsageSplit, usageQuery, usageRangeOf } from "@/lib/usage-series";

export const dynamic = "force-dynamic";

/** Every meter over a range, for all tenants or one tenant or environment, split as the operator asks. */
export default async function UsagePage({ searchParams }: { searchParams: Promise<SearchParams> }) {
  await requireOperator();
  const query = usageQuery.parse(await searchParams);
  const range = usageRangeOf(query, "7d");
  const { db } = services();
  const tenant = query.tenant ? await db.prisma.tenant.findUnique({ where: { slug: query.tenant } }) : null;
  const charts =
    "error" in range || (query.tenant && !tenant)
      ? []
      : await loadUsageCharts({
          db,
          tenantId: tenant?.id ?? null,
          environmentId: query.environment,
          query,
          range,
          labels: groupLabels(query.by),
        });
  return (
    <>
      <PageHeader title="Usage" />
      <UsageControls
        path="/usage"
        query={query}
        range={"error" in range ? null : range}
        splits={["total", "tenant", "environment", "dimension"]}
      >
        <label>
          Tenant slug
          <input name="tenant" defaultValue={query.tenant ?? ""} placeholder="all tenants" />
        </label>
        <label>
          Environment id
          <input name="environment" defaultValue={query.environment ?? ""} placeholder="all" />
        </label>
      </UsageControls>
      {query.tenant && !tenant ? (
        <p className="error">No tenant with slug “{query.tenant}”; check the Tenants page.</p>
      ) : (
        <UsagePanel
          range={range}
          charts={charts}
          caption={tenant ? tenant.name : "All tenants"}
          emptyHint="Widen the range, or check that the hosts are shipping (Hosts page)."
        />
      )}
    </>
  );
}

/** Tenants and environments by name (environments with their tenant's); dimension keys read as they are. */
function groupLabels(by: UsageSplit) {
  return async (ids: string[]): Promise<Map<string, string>> => {
    const { prisma } = services().db;
    if (by === "tenant") {
      const tenants = await prisma.tenant.findMany({
        where: { id: { in: ids } },
        select: { id: true, name: true },
      });
      return new Map(tenants.map((t) => [t.id, t.name]));
    }
    if (by === "environment") {
      const environments = await prisma.environment.findMany({
        where: { id: { in: ids } },
        select: { id: true, name: true, tenant: { select: { name: true } } },
      });
      return new Map(environments.map((e) => [e.id, `${e.tenant.name} / ${e.name}`]));
    }
    return new Map();
  };
}
