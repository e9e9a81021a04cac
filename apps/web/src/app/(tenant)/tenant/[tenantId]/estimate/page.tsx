import { billingPeriodContaining, estimateUsageCharges } from "@meterplane/billing";
import { EmptyState, EstimateTable, PageHeader, Stat } from "@/components/ui";
import { services } from "@/lib/server";
import { requireTenantUser } from "@/lib/tenant-session";

export default async function EstimatePage({ params }: { params: Promise<{ tenantId: string }> }) {
  const { tenantId } = await requireTenantUser((await params).tenantId);
  const { db } = services();
  const now = new Date();
  const subscription = await db.prisma.subscription.findFirst({
    where: { tenantId, status: "active", startAt: { lte: now } },
    orderBy: { startAt: "desc" },
    include: { planVersion: true },
  });
  if (!subscription)
    return (
      <>
        <PageHeader title="Current period" />
        <EmptyState title="No active subscription">Your provider has not put you on a plan yet.</EmptyState>
      </>
    );
  const period = billingPeriodContaining({
    anchor: subscription.billingAnchor,
    interval: subscription.planVersion.interval,
    at: now,
  });
  const estimate = await estimateUsageCharges({ db, tenantId, from: period.start, to: now });
  return (
    <>
      <PageHeader title="Current period" />
      <p>
        {period.start.toISOString().slice(0, 10)} to {period.end.toISOString().slice(0, 10)} (so far, up to{" "}
        {now.toISOString().slice(0, 16).replace("T", " ")} UTC). An estimate of the usage charges: the invoice
        is computed when the period closes.
      </p>
      {estimate ? (
        <>
          <Stat
            label={`Estimated usage charges (${estimate.plan})`}
            value={`${estimate.total} ${estimate.currency}`}
            testId="estimate-total"
          />
          <EstimateTable estimate={estimate} testId="estimate-lines" />
        </>
      ) : (
        <EmptyState title="Nothing to estimate yet" />
      )}
    </>
  );
}
