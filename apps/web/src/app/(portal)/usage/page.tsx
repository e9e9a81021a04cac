import { meters } from "@meterplane/wire";
import { BarChart, EmptyState, PageHeader, type SearchParams, tableParams } from "@/components/ui";
import { services } from "@/lib/server";
import { requireOperator } from "@/lib/session";
import { usageSeries } from "@/lib/usage-series";

export const dynamic = "force-dynamic";

const uuid = /^[0-9a-f-]{36}$/;
const dayMs = 86_400_000;

function parseDay(value: string | undefined, fallback: Date): Date {
  return value && /^\d{4}-\d{2}-\d{2}$/.test(value) ? new Date(`${value}T00:00:00.000Z`) : fallback;
}

/** Charts per meter over a time range, for all tenants or one tenant, one environment. */
export default async function UsagePage({ searchParams }: { searchParams: Promise<SearchParams> }) {
  await requireOperator();
  const { values } = tableParams(await searchParams, { sortable: ["meter"] as const, defaultSort: "meter" });
  const today = new Date(Math.floor(Date.now() / dayMs) * dayMs);
  const to = new Date(parseDay(values.to, today).getTime() + dayMs);
  const from = parseDay(values.from, new Date(to.getTime() - 7 * dayMs));
  const granularity =
    values.granularity === "day" || to.getTime() - from.getTime() > 3 * dayMs ? "day" : "hour";
  const { db } = services();
  const tenant = values.tenant ? await db.prisma.tenant.findUnique({ where: { slug: values.tenant } }) : null;
  const meter = values.meter && values.meter in meters ? values.meter : null;
  const series = await usageSeries({
    db,
    tenantId: tenant?.id ?? null,
    environmentId: values.environment && uuid.test(values.environment) ? values.environment : null,
    meter,
    from,
    to,
    granularity,
  });
  const byMeter = Object.keys(meters).filter((m) => series.some((p) => p.meter === m));
  // Every bucket of the range gets a bar, so a quiet hour shows as a gap rather than vanishing.
  const step = granularity === "hour" ? 3600_000 : dayMs;
  const buckets = Array.from({ length: Math.ceil((to.getTime() - from.getTime()) / step) }, (_, i) =>
    new Date(from.getTime() + i * step).toISOString(),
  );
  return (
    <>
      <PageHeader title="Usage explorer" />
      <form className="filter-bar" method="get">
        <input
          name="tenant"
          defaultValue={values.tenant ?? ""}
          placeholder="Tenant slug (all)"
          aria-label="Tenant slug"
        />
        <input
          name="environment"
          defaultValue={values.environment ?? ""}
          placeholder="Environment id (all)"
          aria-label="Environment id"
        />
        <select name="meter" defaultValue={meter ?? ""} aria-label="Meter">
          <option value="">all meters</option>
          {Object.keys(meters).map((m) => (
            <option key={m}>{m}</option>
          ))}
        </select>
        <input type="date" name="from" defaultValue={from.toISOString().slice(0, 10)} aria-label="From" />
        <input
          type="date"
          name="to"
          defaultValue={new Date(to.getTime() - dayMs).toISOString().slice(0, 10)}
          aria-label="To"
        />
        <button type="submit" className="btn btn-secondary">
          Show
        </button>
      </form>
      {values.tenant && !tenant ? (
        <p className="error">No tenant with slug “{values.tenant}”; check the Tenants page.</p>
      ) : null}
      <p className="muted">
        {tenant ? tenant.name : "All tenants"} · {from.toISOString().slice(0, 10)} to{" "}
        {to.toISOString().slice(0, 10)} (exclusive) · per {granularity}
      </p>
      {byMeter.length === 0 ? (
        <EmptyState title="No usage in this range">
          Widen the dates, or check that the hosts are shipping (Hosts page).
        </EmptyState>
      ) : (
        <div className="cards" data-testid="usage-charts">
          {byMeter.map((m) => {
            const points = series.filter((p) => p.meter === m);
            const gauge = meters[m as keyof typeof meters].kind === "gauge";
            const total = points.reduce((acc, p) => acc + Number(p.sum), 0);
            return (
              <div className="card" key={m} data-meter={m}>
                <div className="label">
                  {m} · {gauge ? "average" : "total"} per {granularity} (
                  {meters[m as keyof typeof meters].unit})
                </div>
                <div className="value">
                  {gauge
                    ? `peak ${Math.max(...points.map((p) => Number(p.max))).toLocaleString("en")}`
                    : total.toLocaleString("en")}
                </div>
                <BarChart
                  label={`${m} per ${granularity}`}
                  points={buckets.map((at) => {
                    const p = points.find((point) => point.bucketStart === at);
                    return { at, value: p ? Number(gauge ? p.average : p.sum) : 0 };
                  })}
                />
              </div>
            );
          })}
        </div>
      )}
    </>
  );
}
