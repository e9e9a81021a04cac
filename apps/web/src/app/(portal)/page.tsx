import { currencyExponent } from "@meterplane/billing";
import { Dec } from "@meterplane/core";
import { stripeEnabled } from "@meterplane/stripe";
import { AnomalyBadge } from "@/components/anomalies/anomaly-badge";
import { AutoRefresh } from "@/components/auto-refresh";
import { DataTable, PageHeader, Section, Stat } from "@/components/ui";
import { services } from "@/lib/server";
import { requireOperator } from "@/lib/session";
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

const stamp = (d: Date) => `${d.toISOString().slice(0, 16).replace("T", " ")} UTC`;

/** The operator's morning look: money this period, data flowing in, hosts alive, work piling up or failing. */
export default async function DashboardPage() {
  await requireOperator();
  const { db } = services();
  const now = new Date();
  const [revenue, ingest, hosts, queue, failedRuns, tenants, failedSyncs] = await Promise.all([
    // The worker's invoice run re-rates every open period into its draft daily: their sum is the estimate.
    db.pool.query<{ currency: string; total: string; invoices: string; ratedAt: Date }>(
      `SELECT currency, sum(total)::text AS total, count(*)::text AS invoices, max("ratedAt") AS "ratedAt"
         FROM "Invoice" WHERE status = 'draft' AND "periodEnd" > $1 AND "periodStart" <= $1
        GROUP BY currency ORDER BY currency`,
      [now],
    ),
    db.pool.query<{ batches: string; samples: string }>(
      `SELECT count(*)::text AS batches, coalesce(sum("sampleCount"), 0)::text AS samples FROM "SampleBatch" WHERE "receivedAt" >= $1`,
      [new Date(now.getTime() - ingestWindowMs)],
    ),
    db.pool.query<{ online: string; stale: string; never: string }>(
      `SELECT count(*) FILTER (WHERE "lastSeenAt" >= $1)::text AS online,
              count(*) FILTER (WHERE "lastSeenAt" < $1)::text AS stale,
              count(*) FILTER (WHERE "lastSeenAt" IS NULL)::text AS never
         FROM "Host" WHERE "removedAt" IS NULL`,
      [new Date(now.getTime() - staleAfterMs)],
    ),
    queueCounts(),
    db.prisma.invoiceRun.findMany({ where: { failed: { gt: 0 } }, orderBy: { startedAt: "desc" }, take: 5 }),
    db.prisma.tenant.count({ where: { status: "active" } }),
    db.prisma.stripeInvoice.count({ where: { state: "failed" } }),
  ]);
  const samplesPerSecond = new Dec(ingest.rows[0]?.samples ?? 0).div(ingestWindowMs / 1000);
  const h = hosts.rows[0];
  const stripe = stripeEnabled();
  const drafts = revenue.rows.reduce((n, r) => n + Number(r.invoices), 0);
  const lastRated = new Date(Math.max(...revenue.rows.map((r) => r.ratedAt.getTime())));
  return (
    <>
      <AutoRefresh seconds={15} />
      <PageHeader title="Dashboard">
        <AnomalyBadge filter={{}} href="/anomalies?open=yes" />
      </PageHeader>
      <div className="cards">
        <Stat
          testId="revenue"
          label="Current-period revenue estimate"
          value={
            revenue.rows.length
              ? revenue.rows
                  .map((r) => `${r.currency} ${new Dec(r.total).toFixed(currencyExponent(r.currency))}`)
                  .join(" · ")
              : "—"
          }
          hint={
            revenue.rows.length
              ? `from ${drafts} draft invoice${drafts === 1 ? "" : "s"} of open periods, last rated ${stamp(lastRated)}`
              : "no draft for the current period yet: the worker's daily invoice run rates open periods"
          }
        />
        <Stat
          testId="ingest"
          label="Ingest, last 5 min"
          value={`${samplesPerSecond.toFixed(1)} samples/s`}
          hint={`${ingest.rows[0]?.batches ?? 0} batches`}
        />
        <Stat
          testId="hosts"
          label="Hosts online / stale"
          value={`${h?.online ?? 0} / ${h?.stale ?? 0}`}
          hint={`${h?.never ?? 0} never seen · ${tenants} active tenants`}
        />
        <Stat
          testId="queue"
          label="Aggregation queue"
          value={queue ? `${(queue.waiting ?? 0) + (queue.delayed ?? 0)} waiting` : "Redis unreachable"}
          hint={queue ? `${queue.active ?? 0} active · ${queue.failed ?? 0} failed` : "check /api/health"}
        />
        <Stat
          testId="stripe"
          label="Stripe"
          value={stripe ? "configured" : "not configured"}
          hint={
            <a href="/invoice-runs">
              {failedSyncs === 0
                ? "no failed invoice syncs"
                : `${failedSyncs} failed invoice sync${failedSyncs === 1 ? "" : "s"}: retry on Invoice runs`}
            </a>
          }
        />
      </div>
      <Section title="Recent failures">
        <DataTable
          rows={failedRuns}
          rowKey={(r) => r.id}
          empty="No invoice run has failures."
          columns={[
            {
              key: "period",
              label: "Invoice run",
              render: (r) => <a href={`/invoice-runs#${r.id}`}>{r.periodEnd.toISOString().slice(0, 10)}</a>,
            },
            { key: "failed", label: "Failed", numeric: true, render: (r) => r.failed },
            { key: "of", label: "Of", numeric: true, render: (r) => r.total },
            { key: "status", label: "Status", render: (r) => r.status },
          ]}
        />
      </Section>
    </>
  );
}
