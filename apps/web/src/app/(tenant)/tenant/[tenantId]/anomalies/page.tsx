import { listAnomalies, listWebhookEndpoints } from "@meterplane/alerts";
import { formatMoney } from "@meterplane/billing";
import { Dec } from "@meterplane/core";
import { estimateCurrentPeriods } from "@meterplane/invoicing";
import { DeliveryLog, stamp } from "@/components/anomalies/delivery-log";
import { ActionForm, Badge, EmptyState, Field, Hidden, PageHeader, Section } from "@/components/ui";
import { services } from "@/lib/server";
import { requireTenantUser } from "@/lib/tenant-session";
import { acknowledge, addEndpoint, testEndpoint } from "./actions";

/**
 * This period's invoice as the invoice run would write it now (the estimate every page shows), beside the
 * last period's invoice. Usage only adds to a period, so a figure already far above the last one is a floor
 * of what is coming, not a guess.
 */
async function projection(tenantId: string) {
  const { db } = services();
  const [estimate] = await estimateCurrentPeriods({ db, at: new Date(), tenantId });
  if (!estimate) return null;
  const last = await db.prisma.invoice.findFirst({
    where: {
      tenantId,
      subscriptionId: estimate.subscriptionId,
      periodEnd: estimate.period.start,
      status: { not: "void" },
    },
    orderBy: { periodStart: "desc" },
  });
  if (!last) return null;
  return {
    projected: new Dec(estimate.total),
    last: new Dec(last.total.toString()),
    currency: estimate.currency,
  };
}

/** This far above the last period is worth a warning. */
const warnAbove = 1.5;

export default async function TenantAnomaliesPage({ params }: { params: Promise<{ tenantId: string }> }) {
  const { tenantId } = await requireTenantUser((await params).tenantId);
  const { db } = services();
  const [anomalies, endpoints, projected] = await Promise.all([
    listAnomalies({ db, filter: { tenantId } }),
    listWebhookEndpoints({ db, tenantId }),
    projection(tenantId),
  ]);
  return (
    <>
      <PageHeader title="Anomalies" />
      {projected?.last.gt(0) && projected.projected.gt(projected.last.times(warnAbove)) ? (
        <p className="error" data-testid="projection-warning">
          This period's invoice already stands at {formatMoney(projected.projected, projected.currency)},{" "}
          {projected.projected.div(projected.last).toFixed(1)}× the last period's{" "}
          {formatMoney(projected.last, projected.currency)}, and usage still adds to it.
        </p>
      ) : null}
      <Section title="Your environments' anomalies">
        {anomalies.length ? (
          <table data-testid="tenant-anomalies">
            <thead>
              <tr>
                <th>Detected (UTC)</th>
                <th>Kind</th>
                <th>Score</th>
                <th>Series</th>
                <th>Window (UTC)</th>
                <th />
              </tr>
            </thead>
            <tbody>
              {anomalies.map((a) => (
                <tr key={a.id}>
                  <td>{stamp(a.detectedAt)}</td>
                  <td>
                    <Badge tone="bad">{a.kind}</Badge>
                  </td>
                  <td>{a.score.toFixed(2)}</td>
                  <td>
                    {a.meter}
                    {a.dimensionKey ? ` · ${a.dimensionKey}` : ""}
                  </td>
                  <td>
                    {stamp(a.windowStart)} – {stamp(a.windowEnd)}
                  </td>
                  <td>
                    {a.acknowledgedAt ? (
                      `acknowledged ${stamp(a.acknowledgedAt)}`
                    ) : (
                      <ActionForm action={acknowledge} submit="Acknowledge" variant="secondary" inline>
                        <Hidden name="tenantId" value={tenantId} />
                        <Hidden name="anomalyId" value={a.id} />
                      </ActionForm>
                    )}
                  </td>
                </tr>
              ))}
            </tbody>
          </table>
        ) : (
          <EmptyState title="No anomalies">
            Every series of your environments is within its own normal.
          </EmptyState>
        )}
      </Section>
      <Section title="Webhooks">
        <ActionForm action={addEndpoint} submit="Add endpoint" testId="tenant-create-endpoint">
          <Hidden name="tenantId" value={tenantId} />
          <Field label="URL" name="url" required placeholder="https://example.com/hooks/meterplane" />
        </ActionForm>
        {endpoints.map((endpoint) => (
          <div key={endpoint.id} data-testid="webhook-endpoint">
            <h3>
              <code>{endpoint.url}</code>
            </h3>
            <ActionForm action={testEndpoint} submit="Send test" variant="secondary">
              <Hidden name="tenantId" value={tenantId} />
              <Hidden name="endpointId" value={endpoint.id} />
            </ActionForm>
            <DeliveryLog deliveries={endpoint.deliveries} />
          </div>
        ))}
      </Section>
    </>
  );
}
