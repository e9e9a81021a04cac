import { estimateUsageCharges } from "@meterplane/billing";
import { Dec } from "@meterplane/core";
import { getUsage, type UsageRow } from "@meterplane/usage";
import { notFound } from "next/navigation";
import { AutoRefresh } from "@/components/auto-refresh";
import { BarChart } from "@/components/ui/bar-chart";
import { EstimateTable } from "@/components/ui/estimate-table";
import { isUuid } from "@/lib/fields";
import { services } from "@/lib/server";
import { hasRole, requireOperator } from "@/lib/session";
import { ConfigureEnvironment } from "./configure";

export const dynamic = "force-dynamic";

const mib = 1024 * 1024;

/**
 * Each card's figure covers all 24 hours (a counter's total; a gauge's time-weighted average,
 * Σintegral ÷ Σseconds, so an hour with fewer samples weighs less); the chart shows the same per hour.
 */
const shown = [
  {
    meter: "cpu",
    title: "CPU",
    figure: "total",
    unit: " core-seconds",
    of: (rows: UsageRow[]) => total(rows),
  },
  {
    meter: "memory",
    title: "Memory",
    figure: "time-weighted average",
    unit: " MiB",
    of: (rows: UsageRow[]) => timeWeighted(rows).div(mib),
  },
  { meter: "processes", title: "Processes", figure: "time-weighted average", unit: "", of: timeWeighted },
] as const;

function total(rows: UsageRow[]): Dec {
  return rows.reduce((acc, r) => acc.plus(r.sum), new Dec(0));
}

function timeWeighted(rows: UsageRow[]): Dec {
  const seconds = rows.reduce((acc, r) => acc.plus(r.seconds), new Dec(0));
  const integral = rows.reduce((acc, r) => acc.plus(r.integral), new Dec(0));
  return seconds.isZero() ? new Dec(0) : integral.div(seconds);
}

export default async function EnvironmentPage({ params }: { params: Promise<{ id: string }> }) {
  const { id } = await params;
  const user = await requireOperator();
  const { db } = services();
  if (!isUuid(id)) notFound();
  const environment = await db.prisma.environment.findFirst({
    where: { id, removedAt: null },
    include: { tenant: true, host: { include: { policy: true } } },
  });
  if (!environment) notFound();
  const to = new Date(Math.ceil(Date.now() / 3600_000) * 3600_000);
  const from = new Date(to.getTime() - 24 * 3600_000);
  const usage = await getUsage({
    db,
    tenantId: environment.tenantId,
    environmentId: id,
    from,
    to,
    granularity: "hour",
  });
  const estimate = await estimateUsageCharges({
    db,
    tenantId: environment.tenantId,
    environmentId: id,
    from,
    to,
  });
  return (
    <>
      <AutoRefresh seconds={5} />
      <h1>{environment.name}</h1>
      <p>
        <a href={`/tenants/${environment.tenantId}`}>{environment.tenant.name}</a> · host{" "}
        <a href={`/hosts/${environment.hostId}`}>{environment.host.name}</a> (policy{" "}
        {environment.host.policy?.name ?? "default"}) · {environment.kind} <code>{environment.selector}</code>
      </p>
      <div className="cards">
        {shown.map(({ meter, title, figure, unit, of }) => {
          const rows = usage.filter((r) => r.meter === meter);
          return (
            <div className="card" key={meter} data-meter={meter}>
              <div className="label">
                {title} · last 24 h, {figure}
              </div>
              <div className="value">{rows.length ? `${of(rows).toFixed(3)}${unit}` : "no data yet"}</div>
              <BarChart
                label={`${title} per hour`}
                points={rows.map((r) => ({ at: r.bucketStart, value: of([r]).toNumber() }))}
              />
            </div>
          );
        })}
      </div>
      <h2>Estimated charges, last 24 h</h2>
      {estimate ? (
        <EstimateTable estimate={estimate} />
      ) : (
        <p className="empty">This tenant has no active subscription, so its usage is not priced yet.</p>
      )}
      {hasRole(user, "admin") ? <ConfigureEnvironment environment={environment} /> : null}
    </>
  );
}
