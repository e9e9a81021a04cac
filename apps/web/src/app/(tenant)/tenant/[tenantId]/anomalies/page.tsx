import { listAnomalies, listWebhookEndpoints } from "@meterplane/alerts";
import { billingPeriodContaining, estimateUsageCharges } from "@meterplane/billing";
import { Dec } from "@meterplane/core";
import { DeliveryLog, stamp } from "@/components/anomalies/delivery-log";
import { ActionForm, Badge, EmptyState, Field, Hidden, PageHeader, Section } from "@/components/ui";
import { services } from "@/lib/server";
import { requireTenantUser } from "@/lib/tenant-session";
import { acknowledge, addEndpoint, testEndpoint } from "./actions";

/** The period's usage estimate projected to the period's end, beside the last period's whole usage. */
async function projection(tenantId: string) {
  const { db } = services();
  const now = new Date();
  const subscription = await db.prisma.subscription.findFirst({
    where: { tenantId, status: "active", startAt: { lte: now } },
    orderBy: { startAt: "desc" },
    include: { planVersion: true },
  });
  if (!subscription) return null;
  const periodOf = (at: Date) =>
    billingPeriodContaining({
      anchor: subscription.billingAnchor,
      interval: subscription.planVersion.interval,
      at,
    });
  const period = periodOf(now);
  const last = periodOf(new Date(period.start.getTime() - 1));
  const [current, previous] = await Promise.all([
    estimateUsageCharges({ db, tenantId, from: period.start, to: now }),
    estimateUsageCharges({ db, tenantId, from: last.start, to: last.end }),
  ]);
  if (!current || !previous) return null;
  const elapsed = now.getTime() - period.start.getTime();
  const projected = new Dec(current.total)
    .times(period.end.getTime() - period.start.getTime())
    .div(Math.max(elapsed, 1));
  return { projected, last: new Dec(previous.total), currency: current.currency };
}

/** A projection this far above the last period is worth a warning. */
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
          At this period's pace, usage charges would reach about {projected.projected.toFixed(2)}{" "}
          {projected.currency}, {projected.projected.div(projected.last).toFixed(1)}× the last period's{" "}
          {projected.last.toFixed(2)}.
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
