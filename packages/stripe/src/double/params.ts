import { invalid } from "./errors.ts";
import type { FormObject, FormValue } from "./form.ts";

/**
 * The parameters each endpoint takes, as Stripe checks them: a name Stripe does not know is refused with
 * "Received unknown parameter", as the real API does, so a misspelt parameter fails here too.
 * `true` is a scalar, `"map"` free keys (metadata), an array one shape per element, an object its keys.
 */
export type Shape = true | "map" | Shape[] | { [key: string]: Shape };

const metadata = "map" as const;
const period = { start: true, end: true } as const;

export const endpointParams: Record<string, { [key: string]: Shape }> = {
  "POST /v1/customers": { name: true, email: true, description: true, metadata },
  "POST /v1/customers/:id": { name: true, email: true, description: true, metadata },
  "GET /v1/customers/:id": {},
  "GET /v1/customers/search": { query: true, limit: true, page: true },
  "POST /v1/invoices": {
    customer: true,
    currency: true,
    auto_advance: true,
    collection_method: true,
    days_until_due: true,
    description: true,
    discounts: [{ coupon: true, discount: true, promotion_code: true }],
    pending_invoice_items_behavior: true,
    metadata,
  },
  "GET /v1/invoices": { customer: true, limit: true, starting_after: true, status: true },
  "GET /v1/invoices/:id": {},
  "DELETE /v1/invoices/:id": {},
  "POST /v1/invoices/:id/add_lines": {
    lines: [{ amount: true, description: true, metadata, period, discountable: true }],
  },
  "POST /v1/invoices/:id/finalize": { auto_advance: true },
  "POST /v1/invoices/:id/pay": { paid_out_of_band: true, payment_method: true },
  "POST /v1/invoices/:id/void": {},
  "POST /v1/invoices/:id/mark_uncollectible": {},
  "POST /v1/credit_notes": {
    invoice: true,
    lines: [{ type: true, description: true, quantity: true, unit_amount: true, invoice_line_item: true }],
    memo: true,
    reason: true,
    metadata,
    out_of_band_amount: true,
    credit_amount: true,
    refund_amount: true,
  },
  "GET /v1/credit_notes": { invoice: true, customer: true, limit: true, starting_after: true },
};

/** Refuses a parameter the endpoint does not take, naming it as Stripe does (`lines[0][amout]`). */
export function checkParams(endpoint: string, params: FormObject): void {
  const shape = endpointParams[endpoint];
  if (!shape) return;
  check({ ...shape, expand: [true] }, params, "");
}

function check(shape: Shape, value: FormValue, path: string): void {
  if (shape === true || shape === "map") {
    if (shape === true && typeof value !== "string" && !(Array.isArray(value) && value.length === 0))
      throw invalid(`Invalid value for ${path}: expected a scalar.`, path);
    return;
  }
  if (Array.isArray(shape)) {
    // `discounts=""` clears the list: Stripe reads an empty string as an empty array.
    if (value === "") return;
    if (!Array.isArray(value)) throw invalid(`Invalid array: ${path}`, path);
    value.forEach((item, i) => {
      check(shape[0] ?? true, item, `${path}[${i}]`);
    });
    return;
  }
  if (typeof value !== "object" || Array.isArray(value)) throw invalid(`Invalid object: ${path}`, path);
  for (const [key, item] of Object.entries(value)) {
    const name = path ? `${path}[${key}]` : key;
    const inner = shape[key];
    if (inner === undefined) throw invalid(`Received unknown parameter: ${name}`, name, "parameter_unknown");
    check(inner, item, name);
  }
}
