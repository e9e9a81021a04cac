import { anomalySeriesPoints, listAnomalies, listWebhookEndpoints } from "@meterplane/alerts";
import type { AnomalyKind } from "@meterplane/anomaly";
import { DeliveryLog, stamp } from "@/components/anomalies/delivery-log";
import { SeriesSparkline } from "@/components/anomalies/series-sparkline";
import {
  ActionForm,
  Badge,
  DataTable,
  Field,
  FilterBar,
  Hidden,
  PageHeader,
  type SearchParams,
  Section,
  tableParams,
  withParams,
} from "@/components/ui";
import { services } from "@/lib/server";
import { hasRole, requireOperator } from "@/lib/session";
import {
  acknowledgeAnomalyAction,
  createEndpointAction,
  disableEndpointAction,
  muteSeriesAction,
  testEndpointAction,
} from "./actions";

export const dynamic = "force-dynamic";

const kinds: AnomalyKind[] = ["spike", "level_shift", "drift", "flat_line", "silence"];

/** Anomalies of every tenant: filter, look at the series around one, acknowledge, mute; and the webhooks. */
export default async function AnomaliesPage({ searchParams }: { searchParams: Promise<SearchParams> }) {
  const user = await requireOperator();
  const params = tableParams(await searchParams, {
    sortable: ["detectedAt"] as const,
    defaultSort: "detectedAt",
  });
  const { db } = services();
  const tenant = params.q
    ? await db.prisma.tenant.findUnique({ where: { slug: params.q.toLowerCase() } })
    : null;
  const kind = kinds.find((k) => k === params.values.kind);
  const anomalies = await listAnomalies({
    db,
    filter: {
      kind,
      // An unknown slug matches nothing rather than everything.
      tenantId: params.q ? (tenant?.id ?? "00000000-0000-0000-0000-000000000000") : undefined,
      environmentId: params.values.environment || undefined,
      hostId: params.values.host || undefined,
      open: params.values.open === "yes",
    },
  });
  const selected = params.values.anomaly
    ? await anomalySeriesPoints({ db, anomalyId: params.values.anomaly }).catch(() => null)
    : null;
  const endpoints = await listWebhookEndpoints({ db });
  const admin = hasRole(user, "admin");
  return (
    <>
      <PageHeader title="Anomalies" />
      {selected ? (
        <Section
          title={`${selected.anomaly.kind} on ${selected.anomaly.meter} (score ${selected.anomaly.score.toFixed(2)})`}
        >
          <SeriesSparkline
            points={selected.points}
            windowStart={selected.anomaly.windowStart}
            windowEnd={selected.anomaly.windowEnd}
          />
          <p className="muted">
            Window {stamp(selected.anomaly.windowStart)} – {stamp(selected.anomaly.windowEnd)} UTC ·{" "}
            {selected.muted ? "series muted" : "series alerting"}
          </p>
          {admin ? (
            <ActionForm
              action={muteSeriesAction}
              submit={selected.muted ? "Unmute series" : "Mute series"}
              variant="secondary"
              testId="mute-series"
            >
              <Hidden name="anomalyId" value={selected.anomaly.id} />
              <Hidden name="muted" value={selected.muted ? "no" : "yes"} />
            </ActionForm>
          ) : null}
        </Section>
      ) : null}
      <FilterBar
        params={params}
        placeholder="Tenant slug"
        selects={[
          { name: "kind", label: "Kind", options: kinds.map((k) => ({ value: k, label: k })) },
          { name: "open", label: "Acknowledged", options: [{ value: "yes", label: "open only" }] },
        ]}
      >
        <input
          name="environment"
          defaultValue={params.values.environment ?? ""}
          placeholder="Environment id"
          aria-label="Environment id"
        />
      </FilterBar>
      <DataTable
        testId="anomalies"
        params={params}
        total={anomalies.length}
        rows={anomalies}
        rowKey={(a) => a.id}
        empty="No anomalies: every series is within its own normal."
        columns={[
          {
            key: "detectedAt",
            label: "Detected",
            render: (a) => <a href={withParams(params.values, { anomaly: a.id })}>{stamp(a.detectedAt)}</a>,
          },
          { key: "kind", label: "Kind", render: (a) => <Badge tone="bad">{a.kind}</Badge> },
          { key: "score", label: "Score", render: (a) => a.score.toFixed(2) },
          {
            key: "series",
            label: "Series",
            render: (a) => (
              <>
                <a href={`/environments/${a.environmentId}`}>environment</a> · {a.meter}
                {a.dimensionKey ? ` · ${a.dimensionKey}` : ""}
              </>
            ),
          },
          {
            key: "window",
            label: "Window (UTC)",
            render: (a) => `${stamp(a.windowStart)} – ${stamp(a.windowEnd)}`,
          },
          {
            key: "ack",
            label: "Acknowledged",
            render: (a) =>
              a.acknowledgedAt ? (
                stamp(a.acknowledgedAt)
              ) : (
                <ActionForm action={acknowledgeAnomalyAction} submit="Acknowledge" variant="secondary">
                  <Hidden name="anomalyId" value={a.id} />
                </ActionForm>
              ),
          },
        ]}
      />
      <Section title="Webhooks">
        <p className="muted">
          Each anomaly is posted once to every endpoint (operators': all; a tenant's: its own), as JSON signed
          with HMAC-SHA256 over <code>timestamp.body</code> in <code>Meterplane-Signature</code>, the Unix
          timestamp in <code>Meterplane-Timestamp</code>; failures are retried with backoff.
        </p>
        {admin ? (
          <ActionForm action={createEndpointAction} submit="Add endpoint" testId="create-endpoint">
            <Field label="URL" name="url" required placeholder="https://example.com/hooks/meterplane" />
          </ActionForm>
        ) : null}
        {endpoints.map((endpoint) => (
          <div key={endpoint.id} data-testid="webhook-endpoint">
            <h3>
              <code>{endpoint.url}</code>{" "}
              {endpoint.tenantId ? <Badge>tenant's</Badge> : <Badge>operators'</Badge>}
            </h3>
            {admin ? (
              <>
                <ActionForm action={testEndpointAction} submit="Send test" variant="secondary">
                  <Hidden name="endpointId" value={endpoint.id} />
                </ActionForm>
                <ActionForm action={disableEndpointAction} submit="Remove" variant="secondary">
                  <Hidden name="endpointId" value={endpoint.id} />
                </ActionForm>
              </>
            ) : null}
            <DeliveryLog deliveries={endpoint.deliveries} />
          </div>
        ))}
      </Section>
    </>
  );
}
