import { getStripeInvoiceStatus } from "@meterplane/stripe";
import { Badge, Section } from "@/components/ui";
import { services } from "@/lib/server";

/** Where this invoice stands in Stripe: sync step, Stripe's status, what is still to carry over, payments. */
export async function StripeStatus({ tenantId, invoiceId }: { tenantId: string; invoiceId: string }) {
  const status = await getStripeInvoiceStatus({ db: services().db, tenantId, invoiceId });
  return (
    <Section title="Stripe">
      {!status ? (
        <p className="muted" data-testid="stripe-status">
          Not sent to Stripe.
        </p>
      ) : (
        <dl className="facts" data-testid="stripe-status">
          <dt>Sync</dt>
          <dd>
            <Badge
              tone={status.state === "failed" ? "bad" : status.state === "finalized" ? "good" : undefined}
            >
              {status.state === "skipped" ? "not sent (no longer open when its sync ran)" : status.state}
            </Badge>{" "}
            {status.attempts > 1 ? `${status.attempts} attempts` : null}
          </dd>
          {status.stripeInvoiceId ? (
            <>
              <dt>In Stripe</dt>
              <dd>
                {status.stripeStatus ?? "draft"} · {status.stripeInvoiceId}
                {status.collectionMethod ? ` · ${status.collectionMethod.replace("_", " ")}` : null}
              </dd>
            </>
          ) : null}
          {status.pendingStatus ? (
            <>
              <dt>To carry over</dt>
              <dd>{status.pendingStatus}</dd>
            </>
          ) : null}
          {status.creditNotes.total ? (
            <>
              <dt>Credit notes in Stripe</dt>
              <dd>
                {status.creditNotes.inStripe} of {status.creditNotes.total}
              </dd>
            </>
          ) : null}
          {status.paymentFailedAt ? (
            <>
              <dt>Last failed payment</dt>
              <dd>{status.paymentFailedAt.toISOString()}</dd>
            </>
          ) : null}
          {status.lastError ? (
            <>
              <dt>Last error</dt>
              <dd>{status.lastError}</dd>
            </>
          ) : null}
        </dl>
      )}
    </Section>
  );
}
