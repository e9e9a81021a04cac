import { formatDateTime, formatMoney } from "@meterplane/billing";
import { Dec } from "@meterplane/core";
import { listSilentSources } from "@meterplane/fleet";
import { getRevenueComparison, listRecentFailures } from "@meterplane/invoicing";
import { stripeEnabled } from "@meterplane/stripe";
import { getMeterTrends } from "@meterplane/usage";
import { AnomalyBadge } from "@/components/anomalies/anomaly-badge";
import { AutoRefresh } from "@/components/auto-refresh";
import { PageHeader, Stat } from "@/components/ui";
import { openRevenue } from "@/lib/open-revenue";
import { services } from "@/lib/server";
import { requireOperator } from "@/lib/session";
import { Failures, NotReporting, UsageTrends } from "./_dashboard/sections";
import { FreshnessStat } from "./freshness-stat";
import { staleAfterMs } from "./hosts/host-state";

export const dynamic = "force-dynamic";

const ingestWindowMs = 5 * 60_000;

async function queueCounts() {
  try {
    return await services().aggregateQueue.getJobCounts("waiting", "active", "delayed", "failed");
  } catch {
    return null;
  }
}

/**
 * The operator's morning look, most important first: money this period against the last, what is not
 * reporting (named, linked), what failed, usage per meter over two weeks, then the pipeline's pulse.
 */
export default async function DashboardPage() {
  await requireOperator();
  const { db } = services();
  const now = new Date();
  const [estimate, revenue, silent, failures, trends, ingest, queue, tenants] = await Promise.all([
    openRevenue(),
    getRevenueComparison({ db, now }),
    listSilentSources({
      db,
      hostCutoff: new Date(now.getTime() - staleAfterMs),
      at: now,
    }),
    listRecentFailures({ db }),
    getMeterTrends({ db, now }),
    db.pool.query<{ batches: string; samples: string }>(
      `SELECT count(*)::text AS batches, coalesce(sum("sampleCount"), 0)::text AS samples FROM "SampleBatch" WHERE "receivedAt" >= $1`,
      [new Date(now.getTime() - ingestWindowMs)],
    ),
    queueCounts(),
    db.prisma.tenant.count({ where: { status: "active" } }),
  ]);
  const samplesPerSecond = new Dec(ingest.rows[0]?.samples ?? 0).div(ingestWindowMs / 1000);
  const periods = estimate.revenue.reduce((n, r) => n + r.periods, 0);
  const previous = new Map(revenue.map((r) => [r.currency, r.previous]));
  return (
    <>
      <AutoRefresh seconds={15} />
      <PageHeader title="Dashboard">
        <AnomalyBadge filter={{}} href="/anomalies?open=yes" />
      </PageHeader>
      <div className="cards">
        <Stat
          testId="revenue"
          label="Revenue this period (estimate)"
          value={
            estimate.revenue.length
              ? estimate.revenue.map((r) => formatMoney(new Dec(r.total), r.currency)).join(" · ")
              : "—"
          }
          hint={
            periods ? (
              <>
                {/* A period so far against a whole one would read as a fall every month: no change is shown. */}
                {estimate.revenue.map((r) => (
                  <div key={r.currency} data-testid={`revenue-${r.currency}`}>
                    last period, whole: {formatMoney(previous.get(r.currency) ?? new Dec(0), r.currency)}
                  </div>
                ))}
                {`this period so far: ${plural(periods, "open period", "open periods")}, rated as their invoices at ${formatDateTime(estimate.at)}; compared when they close`}
              </>
            ) : (
              "no subscription has an open period"
            )
          }
        />
        <Stat
          testId="hosts"
          label="Not reporting"
          value={`${plural(silent.hostTotal, "host", "hosts")} · ${silent.environmentTotal} env.`}
          hint={`${tenants} active tenants`}
        />
        <Stat
          testId="failures"
          label="Failures"
          value={`${plural(failures.runs.length, "run", "runs")} · ${plural(failures.failedSyncs, "sync", "syncs")}`}
          hint={stripeEnabled() ? "Stripe configured" : "Stripe not configured"}
        />
        <Stat
          testId="ingest"
          label="Ingest, last 5 min"
          value={`${samplesPerSecond.toFixed(1)} samples/s`}
          hint={
            queue
              ? `${plural(Number(ingest.rows[0]?.batches ?? 0), "batch", "batches")} · queue ${(queue.waiting ?? 0) + (queue.delayed ?? 0)} waiting, ${queue.failed ?? 0} failed`
              : "Redis unreachable: check /api/health"
          }
        />
        {/* Freshness: its own component, apart from the dashboard's other figures. */}
        <FreshnessStat />
      </div>
      <NotReporting silent={silent} />
      <Failures failures={failures} />
      <UsageTrends trends={trends} />
    </>
  );
}

function plural(count: number, one: string, many: string): string {
  return `${count} ${count === 1 ? one : many}`;
}
