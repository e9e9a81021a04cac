import type { Database } from "@meterplane/db";
import type Stripe from "stripe";
import { idempotencyKeys, metadataKeys } from "./idempotency-keys.ts";

interface Tenant {
  id: string;
  name: string;
  email: string | null;
}

/**
 * The tenant's Stripe customer, with its name and email as ours. A tenant without a recorded customer is
 * first looked for by our metadata (a previous attempt may have created it and lost the answer, and Stripe
 * forgets idempotency keys after 24 h); only when none exists is one created. Search lags writes by up to
 * a minute, which the idempotency key covers.
 */
export async function ensureStripeCustomer({
  db,
  stripe,
  tenant,
  keyGeneration,
}: {
  db: Database;
  stripe: Stripe;
  tenant: Tenant;
  keyGeneration: number;
}): Promise<Stripe.Customer> {
  const recorded = await db.prisma.stripeCustomer.findUnique({ where: { tenantId: tenant.id } });
  const wanted = { name: tenant.name, email: tenant.email ?? "" };
  let customer: Stripe.Customer | undefined;
  if (recorded) {
    const found = await stripe.customers.retrieve(recorded.stripeCustomerId);
    if (!found.deleted) customer = found;
  }
  if (!customer) {
    const { data } = await stripe.customers.search({
      query: `metadata['${metadataKeys.tenantId}']:'${tenant.id}'`,
      limit: 1,
    });
    customer = data[0];
  }
  if (!customer) {
    const params = {
      name: tenant.name,
      ...(tenant.email ? { email: tenant.email } : {}),
      metadata: { [metadataKeys.tenantId]: tenant.id },
    };
    customer = await stripe.customers.create(params, {
      idempotencyKey: idempotencyKeys.customer(tenant.id, params, keyGeneration),
    });
  } else if (customer.name !== wanted.name || (customer.email ?? "") !== wanted.email) {
    // `email: ""` clears it in Stripe, as our tenant has none.
    customer = await stripe.customers.update(customer.id, wanted);
  }
  const defaultPaymentMethod = paymentMethodId(customer);
  // Invoices of one tenant sync concurrently; the first to record the customer wins, the others agree.
  await db.prisma.stripeCustomer.upsert({
    where: { tenantId: tenant.id },
    create: { tenantId: tenant.id, stripeCustomerId: customer.id, defaultPaymentMethod },
    update: { stripeCustomerId: customer.id, defaultPaymentMethod },
  });
  return customer;
}

function paymentMethodId(customer: Stripe.Customer): string | null {
  const method = customer.invoice_settings?.default_payment_method;
  return typeof method === "string" ? method : (method?.id ?? null);
}
