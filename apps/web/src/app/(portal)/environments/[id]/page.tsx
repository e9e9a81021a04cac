import { formatDateTime } from "@meterplane/billing";
import { environmentHostHistory, environmentReporting } from "@meterplane/fleet";
import { estimateCurrentPeriods } from "@meterplane/invoicing";
import { notFound } from "next/navigation";
import { AnomalyBadge } from "@/components/anomalies/anomaly-badge";
import { AutoRefresh } from "@/components/auto-refresh";
import type { SearchParams } from "@/components/ui";
import { EstimateTable } from "@/components/ui/estimate-table";
import { UsageControls } from "@/components/usage/usage-controls";
import { UsagePanel } from "@/components/usage/usage-panel";
import { isUuid } from "@/lib/fields";
import { services } from "@/lib/server";
import { hasRole, requireOperator } from "@/lib/session";
import { loadUsageCharts, usageQuery, usageRangeOf } from "@/lib/usage-series";
import { ReportingBadge } from "../reporting-badge";
import { ConfigureEnvironment } from "./configure";

export const dynamic = "force-dynamic";

/**
 * An environment: whether it reports, every meter over a range (24 h unless chosen), its tenant's current
 * period as the invoice will be, its configuration.
 */
export default async function EnvironmentPage({
  params,
  searchParams,
}: {
  params: Promise<{ id: string }>;
  searchParams: Promise<SearchParams>;
}) {
  const { id } = await params;
  const query = usageQuery.parse(await searchParams);
  if (query.by === "tenant" || query.by === "environment") query.by = "total";
  const user = await requireOperator();
  const { db } = services();
  if (!isUuid(id)) notFound();
  const environment = await db.prisma.environment.findFirst({
    where: { id, removedAt: null },
    include: { tenant: true, host: { include: { policy: true } } },
  });
  if (!environment) notFound();
  const range = usageRangeOf(query, "24h");
  const [charts, estimates, reporting, hostHistory] = await Promise.all([
    "error" in range
      ? []
      : loadUsageCharts({
          db,
          tenantId: environment.tenantId,
          environmentId: id,
          query,
          range,
          labels: async () => new Map(),
        }),
    estimateCurrentPeriods({ db, at: new Date(), tenantId: environment.tenantId }),
    environmentReporting({ db, environmentIds: [id] }),
    environmentHostHistory({ db, tenantId: environment.tenantId, environmentId: id }),
  ]);
  return (
    <>
      <AutoRefresh seconds={5} />
      <h1>{environment.name}</h1>
      <AnomalyBadge filter={{ environmentId: id }} href={`/anomalies?environment=${id}`} />
      <p>
        <ReportingBadge reporting={reporting.get(id)} detail />
      </p>
      <p>
        <a href={`/tenants/${environment.tenantId}`}>{environment.tenant.name}</a> · host{" "}
        <a href={`/hosts/${environment.hostId}`}>{environment.host.name}</a> (policy{" "}
        {environment.host.policy?.name ?? "default"}) · {environment.kind} <code>{environment.selector}</code>
      </p>
      <UsageControls
        path={`/environments/${id}`}
        query={query}
        range={"error" in range ? null : range}
        splits={["total", "dimension"]}
      />
      <UsagePanel
        range={range}
        charts={charts}
        emptyHint="The collector on this environment's host has shipped nothing for this range yet."
      />
      <h2>{environment.tenant.name}'s current period, as its invoice will be</h2>
      {estimates.length ? (
        estimates.map((e) => <EstimateTable key={e.subscriptionId} estimate={e} testId="estimate-lines" />)
      ) : (
        <p className="empty">This tenant has no active subscription, so its usage is not priced yet.</p>
      )}
      <h2>Host history</h2>
      <table data-testid="host-history">
        <thead>
          <tr>
            <th>Host</th>
            <th>From</th>
            <th>Until</th>
            <th>Readings handed over</th>
          </tr>
        </thead>
        <tbody>
          {hostHistory.map((span) => (
            <tr key={`${span.hostId}-${span.from?.toISOString() ?? "start"}`}>
              <td>
                <a href={`/hosts/${span.hostId}`}>{span.hostName}</a>
              </td>
              <td>{span.from ? formatDateTime(span.from) : "creation"}</td>
              <td>{span.to ? formatDateTime(span.to) : "now"}</td>
              <td>{span.to ? (span.handedOverAt ? formatDateTime(span.handedOverAt) : "not yet") : ""}</td>
            </tr>
          ))}
        </tbody>
      </table>
      {hasRole(user, "admin") ? <ConfigureEnvironment environment={environment} /> : null}
    </>
  );
}
