import { StripeDoubleError } from "./errors.ts";
import type { FormObject } from "./form.ts";
import type { StripeObject, StripeStore } from "./objects.ts";

type Handler = (store: StripeStore, params: FormObject, id: string) => StripeObject;

/** The endpoints of Stripe's API that Meterplane uses, and the settling ones the demo uses. */
const routes: [string, RegExp, Handler][] = [
  ["POST", /^\/v1\/customers$/, (s, p) => s.createCustomer(p)],
  ["GET", /^\/v1\/customers\/([^/]+)$/, (s, _p, id) => s.customer(id)],
  ["POST", /^\/v1\/invoices$/, (s, p) => s.createInvoice(p)],
  ["GET", /^\/v1\/invoices$/, (s, p) => s.listInvoices(p)],
  ["GET", /^\/v1\/invoices\/([^/]+)$/, (s, _p, id) => s.invoice(id)],
  ["POST", /^\/v1\/invoices\/([^/]+)\/add_lines$/, (s, p, id) => s.addLines(id, p)],
  ["POST", /^\/v1\/invoices\/([^/]+)\/finalize$/, (s, p, id) => s.finalize(id, p)],
  ["POST", /^\/v1\/invoices\/([^/]+)\/pay$/, (s, _p, id) => s.settle(id, "paid")],
  ["POST", /^\/v1\/invoices\/([^/]+)\/void$/, (s, _p, id) => s.settle(id, "void")],
  ["POST", /^\/v1\/invoices\/([^/]+)\/mark_uncollectible$/, (s, _p, id) => s.settle(id, "uncollectible")],
];

export function routeRequest(
  store: StripeStore,
  method: string,
  path: string,
  params: FormObject,
): StripeObject {
  for (const [m, pattern, handler] of routes) {
    const match = m === method ? path.match(pattern) : null;
    if (match) return handler(store, params, decodeURIComponent(match[1] ?? ""));
  }
  throw new StripeDoubleError(404, "invalid_request_error", `Unrecognized request URL (${method}: ${path}).`);
}
