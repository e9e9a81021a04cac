import { getStripeCollection } from "@meterplane/stripe";
import { ActionForm, Badge, Field, Hidden, Section, SelectField } from "@/components/ui";
import { services } from "@/lib/server";
import { setCollectionAction } from "./stripe-actions";

/** How Stripe collects this tenant's invoices, and how its latest invoices' payments went (from webhooks). */
export async function StripeCollection({ tenantId, canEdit }: { tenantId: string; canEdit: boolean }) {
  const collection = await getStripeCollection({ db: services().db, tenantId });
  return (
    <Section title="Collection by Stripe">
      <p data-testid="collection-method">
        {collection.method === "charge_automatically"
          ? "Charged automatically to the default payment method"
          : `Sent to the tenant, due in ${collection.daysUntilDue} days`}{" "}
        ·{" "}
        {collection.defaultPaymentMethod ? (
          <Badge tone="good">payment method on file</Badge>
        ) : (
          <Badge>no payment method in Stripe</Badge>
        )}
      </p>
      {collection.payments.length ? (
        <ul data-testid="payments">
          {collection.payments.map((p) => (
            <li key={p.invoiceId}>
              <a href={`/invoices/${tenantId}/${p.invoiceId}`}>{p.number}</a>: {p.status}
              {p.stripeStatus ? ` (Stripe: ${p.stripeStatus})` : null}
              {p.paymentFailedAt && p.status !== "paid"
                ? ` · payment failed ${p.paymentFailedAt.toISOString()}`
                : null}
            </li>
          ))}
        </ul>
      ) : null}
      {canEdit ? (
        <ActionForm action={setCollectionAction} submit="Save collection">
          <fieldset>
            <legend>Collection method</legend>
            <Hidden name="tenantId" value={tenantId} />
            <SelectField
              label="Method"
              name="method"
              defaultValue={collection.method}
              options={[
                { value: "send_invoice", label: "Send the invoice" },
                { value: "charge_automatically", label: "Charge automatically (needs a payment method)" },
              ]}
            />
            <Field
              label="Days until due"
              name="daysUntilDue"
              type="number"
              min={0}
              max={365}
              defaultValue={collection.daysUntilDue}
            />
          </fieldset>
        </ActionForm>
      ) : null}
    </Section>
  );
}
