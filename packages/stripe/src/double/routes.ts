import { createCreditNote, listCreditNotes } from "./credit-notes.ts";
import { StripeDoubleError } from "./errors.ts";
import type { FormObject } from "./form.ts";
import type { StripeObject, StripeStore } from "./objects.ts";
import { checkParams } from "./params.ts";

type Handler = (store: StripeStore, params: FormObject, id: string) => StripeObject;

/** The endpoints of Stripe's API that Meterplane uses; the name is the key of their parameter list. */
const routes: [string, RegExp, Handler][] = [
  ["POST /v1/customers", /^\/v1\/customers$/, (s, p) => s.createCustomer(p)],
  ["GET /v1/customers/search", /^\/v1\/customers\/search$/, (s, p) => s.searchCustomers(p)],
  ["GET /v1/customers/:id", /^\/v1\/customers\/([^/]+)$/, (s, _p, id) => s.customer(id)],
  ["POST /v1/customers/:id", /^\/v1\/customers\/([^/]+)$/, (s, p, id) => s.updateCustomer(id, p)],
  ["POST /v1/invoices", /^\/v1\/invoices$/, (s, p) => s.createInvoice(p)],
  ["GET /v1/invoices", /^\/v1\/invoices$/, (s, p) => s.listInvoices(p)],
  ["GET /v1/invoices/:id", /^\/v1\/invoices\/([^/]+)$/, (s, _p, id) => s.invoice(id)],
  ["DELETE /v1/invoices/:id", /^\/v1\/invoices\/([^/]+)$/, (s, _p, id) => s.deleteInvoice(id)],
  [
    "POST /v1/invoices/:id/add_lines",
    /^\/v1\/invoices\/([^/]+)\/add_lines$/,
    (s, p, id) => s.addLines(id, p),
  ],
  ["POST /v1/invoices/:id/finalize", /^\/v1\/invoices\/([^/]+)\/finalize$/, (s, p, id) => s.finalize(id, p)],
  ["POST /v1/invoices/:id/pay", /^\/v1\/invoices\/([^/]+)\/pay$/, (s, p, id) => s.pay(id, p)],
  ["POST /v1/invoices/:id/void", /^\/v1\/invoices\/([^/]+)\/void$/, (s, _p, id) => s.void(id)],
  [
    "POST /v1/invoices/:id/mark_uncollectible",
    /^\/v1\/invoices\/([^/]+)\/mark_uncollectible$/,
    (s, _p, id) => s.markUncollectible(id),
  ],
  ["POST /v1/credit_notes", /^\/v1\/credit_notes$/, (s, p) => createCreditNote(s, p)],
  ["GET /v1/credit_notes", /^\/v1\/credit_notes$/, (s, p) => listCreditNotes(s, p)],
];

export function routeRequest(
  store: StripeStore,
  method: string,
  path: string,
  params: FormObject,
): StripeObject {
  for (const [endpoint, pattern, handler] of routes) {
    const match = endpoint.startsWith(`${method} `) ? path.match(pattern) : null;
    if (!match) continue;
    checkParams(endpoint, params);
    return handler(store, params, decodeURIComponent(match[1] ?? ""));
  }
  throw new StripeDoubleError(404, "invalid_request_error", `Unrecognized request URL (${method}: ${path}).`);
}
