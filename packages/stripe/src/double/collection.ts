import type { StripeStore } from "./objects.ts";

/**
 * Moves the double's clock forward and does what Stripe would have done meanwhile: every open invoice it
 * collects automatically whose next payment attempt has come is charged (paid, or failed and retried later).
 */
export function advanceClock(store: StripeStore, seconds: number): void {
  store.clock += seconds;
  for (const invoice of store.invoices.values()) {
    const next = invoice.next_payment_attempt as number | null;
    if (invoice.status === "open" && invoice.auto_advance && next !== null && next <= store.clock)
      store.charge(invoice);
  }
}

/** What the double's test helpers do in Stripe's dashboard: give a customer a card that pays or is declined, or a coupon. */
export function setDefaultPaymentMethod(
  store: StripeStore,
  customerId: string,
  outcome: "succeeds" | "declines",
) {
  const customer = store.customer(customerId);
  const method =
    outcome === "succeeds"
      ? `pm_card_visa_${store.paymentMethods.size}`
      : `pm_card_chargeDeclined_${store.paymentMethods.size}`;
  store.paymentMethods.set(method, outcome);
  (customer.invoice_settings as { default_payment_method: string | null }).default_payment_method = method;
  return customer;
}

export function setCoupon(store: StripeStore, customerId: string, percentOff: number) {
  const customer = store.customer(customerId);
  customer.discount = { coupon: { percent_off: percentOff } };
  return customer;
}
