import { randomBytes } from "node:crypto";
import { invalid, missing, StripeDoubleError } from "./errors.ts";
import type { FormObject, FormValue } from "./form.ts";

/* The subset of Stripe's customer, invoice and invoice line item objects that billing code reads, shaped
 * as the API version the SDK pins (checked against the SDK's types, which Stripe generates from its
 * OpenAPI specification). */
export type StripeObject = Record<string, unknown> & { id: string };

const alphabet = "0123456789ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz";
export function objectId(prefix: string): string {
  return `${prefix}_${[...randomBytes(24)].map((b) => alphabet[b % alphabet.length]).join("")}`;
}

const now = () => Math.floor(Date.now() / 1000);
const str = (v: FormValue | undefined) => (typeof v === "string" ? v : undefined);
const obj = (v: FormValue | undefined) =>
  v && typeof v === "object" && !Array.isArray(v) ? (v as FormObject) : undefined;
const metadataOf = (v: FormValue | undefined) => {
  const m = obj(v) ?? {};
  return Object.fromEntries(Object.entries(m).filter(([, x]) => typeof x === "string"));
};
function integer(v: FormValue | undefined, param: string): number {
  const s = str(v);
  if (s === undefined || !/^-?\d+$/.test(s)) throw invalid(`Invalid integer: ${String(s)}`, param);
  return Number(s);
}

export class StripeStore {
  readonly customers = new Map<string, StripeObject>();
  readonly invoices = new Map<string, StripeObject & { lines: { data: StripeObject[] } }>();
  private invoiceSequence = 0;

  createCustomer(params: FormObject): StripeObject {
    const id = objectId("cus");
    const customer = {
      id,
      object: "customer",
      address: null,
      balance: 0,
      created: now(),
      currency: null,
      default_source: null,
      delinquent: false,
      description: str(params.description) ?? null,
      email: str(params.email) ?? null,
      invoice_prefix: id.slice(4, 12).toUpperCase(),
      invoice_settings: {
        custom_fields: null,
        default_payment_method: null,
        footer: null,
        rendering_options: null,
      },
      livemode: false,
      metadata: metadataOf(params.metadata),
      name: str(params.name) ?? null,
      phone: null,
      preferred_locales: [],
      shipping: null,
      tax_exempt: "none",
      test_clock: null,
    };
    this.customers.set(id, customer);
    return customer;
  }

  customer(id: string): StripeObject {
    const customer = this.customers.get(id);
    if (!customer) throw missing("customer", id);
    return customer;
  }

  createInvoice(params: FormObject): StripeObject {
    const customerId = str(params.customer);
    if (!customerId) throw invalid("Missing required param: customer.", "customer", "parameter_missing");
    const customer = this.customers.get(customerId);
    if (!customer) throw missing("customer", customerId, "customer");
    const behavior = str(params.pending_invoice_items_behavior) ?? "exclude";
    if (behavior !== "exclude" && behavior !== "include")
      throw invalid("Invalid pending_invoice_items_behavior", "pending_invoice_items_behavior");
    const collection = str(params.collection_method) ?? "charge_automatically";
    if (collection === "send_invoice" && !params.days_until_due && !params.due_date)
      throw invalid("Missing required param: days_until_due.", "days_until_due", "parameter_missing");
    const id = objectId("in");
    const created = now();
    const invoice = {
      id,
      object: "invoice",
      account_country: "US",
      account_name: "Meterplane Stripe double",
      amount_due: 0,
      amount_paid: 0,
      amount_remaining: 0,
      attempt_count: 0,
      attempted: false,
      auto_advance: str(params.auto_advance) !== "false",
      automatic_tax: { enabled: false, liability: null, status: null },
      billing_reason: "manual",
      collection_method: collection,
      created,
      currency: str(params.currency) ?? "usd",
      customer: customerId,
      customer_email: customer.email,
      customer_name: customer.name,
      description: str(params.description) ?? null,
      discounts: [],
      due_date: params.days_until_due
        ? created + integer(params.days_until_due, "days_until_due") * 86400
        : null,
      hosted_invoice_url: null,
      invoice_pdf: null,
      lines: {
        object: "list",
        data: [] as StripeObject[],
        has_more: false,
        total_count: 0,
        url: `/v1/invoices/${id}/lines`,
      },
      livemode: false,
      metadata: metadataOf(params.metadata),
      number: null as string | null,
      period_end: created,
      period_start: created,
      status: "draft",
      status_transitions: {
        finalized_at: null,
        marked_uncollectible_at: null,
        paid_at: null,
        voided_at: null,
      } as Record<string, number | null>,
      subtotal: 0,
      total: 0,
    };
    this.invoices.set(id, invoice);
    return invoice;
  }

  invoice(id: string) {
    const invoice = this.invoices.get(id);
    if (!invoice) throw missing("invoice", id);
    return invoice;
  }

  listInvoices(query: FormObject): StripeObject {
    const customer = str(query.customer);
    const limit = Math.min(100, Math.max(1, Number(str(query.limit) ?? 10)));
    // Newest first, as Stripe lists; `starting_after` pages on from an object of the previous page.
    let all = [...this.invoices.values()].reverse().filter((i) => !customer || i.customer === customer);
    const after = str(query.starting_after);
    if (after) all = all.slice(all.findIndex((i) => i.id === after) + 1);
    return {
      id: "",
      object: "list",
      data: all.slice(0, limit),
      has_more: all.length > limit,
      url: "/v1/invoices",
    };
  }

  addLines(id: string, params: FormObject): StripeObject {
    const invoice = this.draft(id);
    const lines = params.lines;
    if (!Array.isArray(lines) || !lines.length)
      throw invalid("Missing required param: lines.", "lines", "parameter_missing");
    lines.forEach((raw, index) => {
      const line = obj(raw) ?? {};
      const amount = integer(line.amount, `lines[${index}][amount]`);
      const period = obj(line.period);
      invoice.lines.data.push({
        id: objectId("il"),
        object: "line_item",
        amount,
        currency: invoice.currency,
        description: str(line.description) ?? null,
        discountable: true,
        discounts: [],
        invoice: id,
        livemode: false,
        metadata: metadataOf(line.metadata),
        parent: {
          type: "invoice_item_details",
          invoice_item_details: { invoice_item: objectId("ii"), proration: false, subscription: null },
          subscription_item_details: null,
        },
        period: period
          ? { start: integer(period.start, "period[start]"), end: integer(period.end, "period[end]") }
          : { start: invoice.created, end: invoice.created },
        pricing: null,
        quantity: 1,
      });
    });
    const total = invoice.lines.data.reduce((sum, line) => sum + Number(line.amount), 0);
    Object.assign(invoice, { subtotal: total, total, amount_due: total, amount_remaining: total });
    Object.assign(invoice.lines, { total_count: invoice.lines.data.length });
    return invoice;
  }

  finalize(id: string, params: FormObject): StripeObject {
    const invoice = this.invoices.get(id);
    if (!invoice) throw missing("invoice", id);
    if (invoice.status !== "draft")
      throw invalid(
        "This invoice is already finalized, you can't re-finalize a non-draft invoice.",
        undefined,
        "invoice_not_editable",
      );
    this.invoiceSequence += 1;
    const at = now();
    Object.assign(invoice, {
      status: "open",
      number: `${String(this.customers.get(String(invoice.customer))?.invoice_prefix ?? "DOUBLE")}-${String(this.invoiceSequence).padStart(4, "0")}`,
      auto_advance:
        params.auto_advance === undefined ? invoice.auto_advance : str(params.auto_advance) === "true",
      effective_at: at,
    });
    (invoice.status_transitions as Record<string, number | null>).finalized_at = at;
    return invoice;
  }

  /** Moves an open invoice to `paid`, `void` or `uncollectible`, as the dashboard or a payment would. */
  settle(id: string, to: "paid" | "void" | "uncollectible"): StripeObject {
    const invoice = this.invoices.get(id);
    if (!invoice) throw missing("invoice", id);
    if (invoice.status !== "open" && !(invoice.status === "uncollectible" && to !== "uncollectible"))
      throw new StripeDoubleError(
        400,
        "invalid_request_error",
        `Invoice is ${String(invoice.status)}, not open.`,
        "invoice_unexpected_state",
      );
    const transition = { paid: "paid_at", void: "voided_at", uncollectible: "marked_uncollectible_at" }[to];
    invoice.status = to;
    (invoice.status_transitions as Record<string, number | null>)[transition] = now();
    if (to === "paid") Object.assign(invoice, { amount_paid: invoice.amount_due, amount_remaining: 0 });
    return invoice;
  }

  private draft(id: string) {
    const invoice = this.invoice(id);
    if (invoice.status !== "draft")
      throw invalid("You can only add lines to a draft invoice.", undefined, "invoice_not_editable");
    return invoice;
  }
}
