import { estimateCurrentPeriods } from "@meterplane/invoicing";
import { EmptyState, EstimateTable, PageHeader, Stat } from "@/components/ui";
import { services } from "@/lib/server";
import { requireTenantUser } from "@/lib/tenant-session";

export default async function EstimatePage({ params }: { params: Promise<{ tenantId: string }> }) {
  const { tenantId } = await requireTenantUser((await params).tenantId);
  const now = new Date();
  const estimates = await estimateCurrentPeriods({ db: services().db, at: now, tenantId });
  return (
    <>
      <PageHeader title="Current period" />
      {estimates.length === 0 ? (
        <EmptyState title="No active subscription">Your provider has not put you on a plan yet.</EmptyState>
      ) : (
        <>
          <p>
            Your invoice as it stands at {now.toISOString().slice(0, 16).replace("T", " ")} UTC, computed as
            the invoice will be: fees, usage so far and minimums. Usage until the period ends still counts.
          </p>
          {estimates.map((estimate) => (
            <section key={estimate.subscriptionId}>
              <Stat
                label={`Estimated invoice (${estimate.plan})`}
                value={`${estimate.total} ${estimate.currency}`}
                testId="estimate-total"
              />
              <EstimateTable estimate={estimate} testId="estimate-lines" />
            </section>
          ))}
        </>
      )}
    </>
  );
}
