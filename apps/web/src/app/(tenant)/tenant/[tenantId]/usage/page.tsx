import { listEnvironments, listUsageRollups, type UsageRollup } from "@meterplane/exports";
import { z } from "zod";
import { UsageCharts } from "@/components/tenant/usage-charts";
import { EmptyState, PageHeader } from "@/components/ui";
import { fields } from "@/lib/fields";
import { services } from "@/lib/server";
import { requireTenantUser } from "@/lib/tenant-session";

const dayMs = 86_400_000;
const { day } = fields;
const filters = z.object({
  from: day.optional().catch(undefined),
  to: day.optional().catch(undefined),
  granularity: z.enum(["hour", "day", "month"]).catch("hour"),
  environmentId: z.uuid().optional().catch(undefined),
});
/** A page shows at most this many rollups; a wider range needs a coarser granularity or the API. */
const maxRollups = 20_000;

export default async function UsagePage({
  params,
  searchParams,
}: {
  params: Promise<{ tenantId: string }>;
  searchParams: Promise<Record<string, string>>;
}) {
  const { tenantId } = await requireTenantUser((await params).tenantId);
  const query = filters.parse(await searchParams);
  const to = query.to
    ? new Date(Date.parse(query.to) + dayMs)
    : new Date(Math.ceil(Date.now() / dayMs) * dayMs);
  const from = query.from ? new Date(query.from) : new Date(to.getTime() - 7 * dayMs);
  const { db } = services();
  const environments = (await listEnvironments({ db, tenantId, limit: 1000 })).data;
  const rollups: UsageRollup[] = [];
  let cursor: string | undefined;
  do {
    const page = await listUsageRollups({
      db,
      tenantId,
      granularity: query.granularity,
      environmentId: query.environmentId,
      from,
      to,
      limit: 1000,
      cursor,
    });
    rollups.push(...page.data);
    cursor = page.nextCursor ?? undefined;
  } while (cursor && rollups.length < maxRollups);
  return (
    <>
      <PageHeader title="Usage" />
      <form className="form-inline" method="get" data-testid="usage-filters">
        <label className="field">
          <span>From</span>
          <input type="date" name="from" defaultValue={from.toISOString().slice(0, 10)} />
        </label>
        <label className="field">
          <span>To (inclusive)</span>
          <input
            type="date"
            name="to"
            defaultValue={new Date(to.getTime() - dayMs).toISOString().slice(0, 10)}
          />
        </label>
        <label className="field">
          <span>By</span>
          <select name="granularity" defaultValue={query.granularity}>
            <option value="hour">hour</option>
            <option value="day">day</option>
            <option value="month">month</option>
          </select>
        </label>
        <label className="field">
          <span>Environment</span>
          <select name="environmentId" defaultValue={query.environmentId ?? ""}>
            <option value="">all</option>
            {environments.map((e) => (
              <option key={e.id} value={e.id}>
                {e.name}
              </option>
            ))}
          </select>
        </label>
        <button type="submit" className="btn btn-secondary">
          Show
        </button>
      </form>
      {cursor ? (
        <p className="notice">
          Showing the first {maxRollups} rollups: narrow the range or choose a coarser granularity.
        </p>
      ) : null}
      {rollups.length ? (
        <UsageCharts rollups={rollups} environments={environments} />
      ) : (
        <EmptyState title="No usage in this range">
          Pick another range, or check that your collectors ship.
        </EmptyState>
      )}
    </>
  );
}
