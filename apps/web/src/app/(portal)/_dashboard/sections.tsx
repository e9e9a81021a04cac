import { formatDateTime, formatMeasure, formatQuantity } from "@meterplane/billing";
import type { Dec } from "@meterplane/core";
import type { listSilentSources } from "@meterplane/fleet";
import type { listRecentFailures } from "@meterplane/invoicing";
import { displayUnit, type getMeterTrends } from "@meterplane/usage";
import { DataTable, Section } from "@/components/ui";
import { Sparkline } from "./sparkline";

type Silent = Awaited<ReturnType<typeof listSilentSources>>;
type Failures = Awaited<ReturnType<typeof listRecentFailures>>;
type Trends = Awaited<ReturnType<typeof getMeterTrends>>;

/** Hosts and environments that stopped reporting, each linked to its page. */
export function NotReporting({ silent }: { silent: Silent }) {
  return (
    <Section title="Not reporting">
      <div className="grid-2">
        <DataTable
          testId="silent-hosts"
          rows={silent.hosts}
          rowKey={(h) => h.id}
          empty="Every host has reported in the last two minutes."
          columns={[
            {
              key: "name",
              label: `Hosts (${silent.hostTotal})`,
              render: (h) => <a href={`/hosts/${h.id}`}>{h.name}</a>,
            },
            {
              key: "seen",
              label: "Last seen",
              render: (h) => (h.lastSeenAt ? formatDateTime(h.lastSeenAt) : "never"),
            },
          ]}
        />
        <DataTable
          testId="silent-environments"
          rows={silent.environments}
          rowKey={(e) => e.id}
          empty="Every environment on a live host sent a sample within three of its host's intervals."
          columns={[
            {
              key: "name",
              label: `Environments (${silent.environmentTotal})`,
              render: (e) => <a href={`/environments/${e.id}`}>{e.name}</a>,
            },
            {
              key: "tenant",
              label: "Tenant",
              render: (e) => <a href={`/tenants/${e.tenantId}`}>{e.tenantName}</a>,
            },
            { key: "host", label: "Host", render: (e) => e.hostName },
            { key: "reason", label: "Why", render: (e) => e.reason },
          ]}
        />
      </div>
    </Section>
  );
}

/** Invoice runs with failed invoices and Stripe syncs that failed. */
export function Failures({ failures }: { failures: Failures }) {
  return (
    <Section title="Failed runs and syncs">
      <div className="grid-2">
        <DataTable
          testId="failed-runs"
          rows={failures.runs}
          rowKey={(r) => r.id}
          empty="No invoice run has failures."
          columns={[
            {
              key: "period",
              label: "Invoice run",
              render: (r) => <a href={`/invoice-runs#${r.id}`}>{formatDateTime(r.startedAt)}</a>,
            },
            { key: "failed", label: "Failed", numeric: true, render: (r) => `${r.failed} of ${r.total}` },
            { key: "status", label: "Status", render: (r) => r.status },
          ]}
        />
        <DataTable
          testId="failed-syncs"
          rows={failures.syncs}
          rowKey={(s) => s.invoiceId}
          empty="No failed Stripe sync."
          columns={[
            {
              key: "invoice",
              label: `Stripe syncs (${failures.failedSyncs})`,
              render: (s) => (
                <a href={`/invoices/${s.tenantId}/${s.invoiceId}`}>{s.invoice.number ?? "draft"}</a>
              ),
            },
            { key: "tenant", label: "Tenant", render: (s) => s.invoice.tenant.name },
            {
              key: "error",
              label: "Error",
              render: (s) => <div className="cell-scroll">{s.lastError ?? "—"}</div>,
            },
          ]}
        />
      </div>
      <p className="muted">
        <a href="/invoice-runs">Retry on Invoice runs</a>
      </p>
    </Section>
  );
}

/** Each meter across the fleet over two weeks: the shape, the last seven days, and the change on the seven before. */
export function UsageTrends({ trends }: { trends: Trends }) {
  return (
    <Section title="Usage, last 14 days">
      <DataTable
        testId="trends"
        rows={trends}
        rowKey={(t) => t.meter}
        empty="No usage yet."
        columns={[
          { key: "meter", label: "Meter", render: (t) => <a href={`/usage?meter=${t.meter}`}>{t.meter}</a> },
          {
            key: "trend",
            label: "Daily (UTC)",
            render: (t) => (
              <Sparkline points={t.points} label={`${t.meter}, daily over 14 whole days and today so far`} />
            ),
          },
          { key: "today", label: "Today so far", numeric: true, render: (t) => measure(t, t.today) },
          {
            key: "week",
            label: "7 whole days before",
            numeric: true,
            render: (t) => measure(t, t.kind === "counter" ? t.lastWeek : t.lastWeek.div(7)),
          },
          { key: "change", label: "vs week before", numeric: true, render: (t) => change(t.change) },
        ]}
      />
    </Section>
  );
}

/** A trend figure in the unit its magnitude reads best in (KB, core-seconds), the stored value on hover. */
function measure(trend: Trends[number], value: Dec) {
  const unit = displayUnit(trend.meter, value.toNumber());
  const shown = formatQuantity(value.div(unit.divisor), unit.unit);
  return (
    <span title={formatMeasure(value, trend.unit).exact}>
      {shown.text}
      {trend.kind === "gauge" ? " avg" : ""}
    </span>
  );
}

function change(value: Dec | null): string {
  if (value === null) return "—";
  const rounded = value.toDecimalPlaces(1);
  return `${rounded.gt(0) ? "+" : ""}${rounded.toFixed(1)} %`;
}
