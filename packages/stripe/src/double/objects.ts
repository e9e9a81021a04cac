import { randomBytes } from "node:crypto";
import { checkAmount, checkCurrency } from "./currencies.ts";
import { invalid, missing, StripeDoubleError } from "./errors.ts";
import type { FormObject } from "./form.ts";
import { bool, integer, metadataOf, obj, str } from "./values.ts";

/* The subset of Stripe's customer, invoice, line item and credit note objects that billing code reads,
 * shaped as the API version the SDK pins (checked against the SDK's types, which Stripe generates from its
 * OpenAPI specification). */
export type StripeObject = Record<string, unknown> & { id: string };
export type StripeInvoiceObject = StripeObject & {
  lines: { data: StripeObject[] };
  status_transitions: Record<string, number | null>;
};
export interface StripeEvent {
  id: string;
  object: "event";
  type: string;
  created: number;
  livemode: false;
  api_version: string | null;
  data: { object: StripeObject };
}

const alphabet = "0123456789ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz";
export function objectId(prefix: string): string {
  return `${prefix}_${[...randomBytes(24)].map((b) => alphabet[b % alphabet.length]).join("")}`;
}

/** Stripe's first automatic payment attempt comes about an hour after finalizing; retries every 3 days. */
export const firstAttemptAfter = 3600;
export const retryAfter = 3 * 86400;

export class StripeStore {
  readonly customers = new Map<string, StripeObject>();
  readonly invoices = new Map<string, StripeInvoiceObject>();
  readonly creditNotes = new Map<string, StripeObject>();
  readonly events: StripeEvent[] = [];
  /** Whether a payment method pays or is declined (`pm_card_visa`, `pm_card_chargeDeclined`). */
  readonly paymentMethods = new Map<string, "succeeds" | "declines">();
  /** A simulated clock in Unix seconds, which the test moves forward (Stripe's test clocks do the same). */
  clock = Math.floor(Date.now() / 1000);
  /** Called for every event the store raises; the server signs and delivers it. */
  onEvent: (event: StripeEvent) => void = () => undefined;
  private invoiceSequence = 0;
  private creditNoteSequence = 0;

  now(): number {
    return this.clock;
  }

  emit(type: string, object: StripeObject): void {
    const event: StripeEvent = {
      id: objectId("evt"),
      object: "event",
      type,
      created: this.clock,
      livemode: false,
      api_version: null,
      data: { object: structuredClone(object) },
    };
    this.events.push(event);
    this.onEvent(event);
  }

  createCustomer(params: FormObject): StripeObject {
    const id = objectId("cus");
    const customer = {
      id,
      object: "customer",
      address: null,
      balance: 0,
      created: this.now(),
      currency: null,
      default_source: null,
      delinquent: false,
      description: str(params.description) ?? null,
      discount: null as null | { coupon: { percent_off: number } },
      email: str(params.email) ?? null,
      invoice_prefix: id.slice(4, 12).toUpperCase(),
      invoice_settings: {
        custom_fields: null,
        default_payment_method: null as string | null,
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

  updateCustomer(id: string, params: FormObject): StripeObject {
    const customer = this.customer(id);
    for (const key of ["name", "email", "description"] as const)
      if (params[key] !== undefined) customer[key] = str(params[key]) || null;
    if (params.metadata)
      customer.metadata = { ...(customer.metadata as object), ...metadataOf(params.metadata) };
    return customer;
  }

  /** Stripe's search language, the one clause billing uses: `metadata['key']:'value'`. */
  searchCustomers(params: FormObject): StripeObject {
    const query = str(params.query) ?? "";
    const clause = query.match(/^metadata\['([^']+)'\]:'([^']*)'$/);
    if (!clause) throw invalid(`Invalid search query: ${query}`, "query");
    const [, key = "", value] = clause;
    const data = [...this.customers.values()].filter(
      (c) => (c.metadata as Record<string, string>)[key] === value,
    );
    return {
      id: "",
      object: "search_result",
      data,
      has_more: false,
      next_page: null,
      url: "/v1/customers/search",
    };
  }

  createInvoice(params: FormObject): StripeObject {
    const customerId = str(params.customer);
    if (!customerId) throw invalid("Missing required param: customer.", "customer", "parameter_missing");
    const customer = this.customers.get(customerId);
    if (!customer) throw missing("customer", customerId, "customer");
    const currency = checkCurrency(str(params.currency));
    const behavior = str(params.pending_invoice_items_behavior) ?? "exclude";
    if (behavior !== "exclude" && behavior !== "include")
      throw invalid("Invalid pending_invoice_items_behavior", "pending_invoice_items_behavior");
    const collection = str(params.collection_method) ?? "charge_automatically";
    if (collection !== "send_invoice" && collection !== "charge_automatically")
      throw invalid(`Invalid collection_method: ${collection}`, "collection_method");
    if (collection === "send_invoice" && !params.days_until_due)
      throw invalid("Missing required param: days_until_due.", "days_until_due", "parameter_missing");
    if (collection === "charge_automatically" && params.days_until_due)
      throw invalid(
        "You can only set days_until_due for invoices with collection_method=send_invoice.",
        "days_until_due",
      );
    const id = objectId("in");
    const created = this.now();
    // A customer's coupon applies to every new invoice unless `discounts` says otherwise ("" for none).
    const discount = customer.discount as null | { coupon: { percent_off: number } };
    const inheritsDiscount = params.discounts === undefined && discount !== null;
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
      // Stripe's default for invoices created through the API: no automatic collection until finalized with it.
      auto_advance: bool(params.auto_advance, false),
      automatic_tax: { enabled: false, liability: null, status: null },
      billing_reason: "manual",
      collection_method: collection,
      created,
      currency,
      customer: customerId,
      customer_email: customer.email,
      customer_name: customer.name,
      description: str(params.description) ?? null,
      discounts: inheritsDiscount ? [objectId("di")] : [],
      due_date:
        collection === "send_invoice"
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
      next_payment_attempt: null as number | null,
      number: null as string | null,
      paid_out_of_band: false,
      percent_off: inheritsDiscount ? (discount?.coupon.percent_off ?? 0) : 0,
      period_end: created,
      period_start: created,
      post_payment_credit_notes_amount: 0,
      pre_payment_credit_notes_amount: 0,
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

  deleteInvoice(id: string): StripeObject {
    this.draft(id, "You can only delete draft invoices.");
    this.invoices.delete(id);
    return { id, object: "invoice", deleted: true };
  }

  listInvoices(query: FormObject): StripeObject {
    const customer = str(query.customer);
    return this.list(
      [...this.invoices.values()].filter((i) => !customer || i.customer === customer),
      query,
      "/v1/invoices",
    );
  }

  /** Newest first, as Stripe lists; `starting_after` pages on from an object of the previous page. */
  list(objects: StripeObject[], query: FormObject, url: string): StripeObject {
    const limit = Math.min(100, Math.max(1, Number(str(query.limit) ?? 10)));
    let all = [...objects].reverse();
    const after = str(query.starting_after);
    if (after) all = all.slice(all.findIndex((i) => i.id === after) + 1);
    return { id: "", object: "list", data: all.slice(0, limit), has_more: all.length > limit, url };
  }

  addLines(id: string, params: FormObject): StripeObject {
    const invoice = this.draft(id, "You can only add lines to a draft invoice.");
    const lines = params.lines;
    if (!Array.isArray(lines) || !lines.length)
      throw invalid("Missing required param: lines.", "lines", "parameter_missing");
    const currency = String(invoice.currency);
    const added = lines.map((raw, index) => {
      const line = obj(raw) ?? {};
      const amount = integer(line.amount, `lines[${index}][amount]`);
      checkAmount(amount, currency, `lines[${index}][amount]`);
      const period = obj(line.period);
      return {
        id: objectId("il"),
        object: "line_item",
        amount,
        currency,
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
      };
    });
    // add_lines is all or nothing: every line is checked before any is added.
    invoice.lines.data.push(...added);
    const subtotal = invoice.lines.data.reduce((sum, line) => sum + Number(line.amount), 0);
    const total = subtotal - Math.round((subtotal * Number(invoice.percent_off)) / 100);
    Object.assign(invoice, { subtotal, total, amount_due: total, amount_remaining: total });
    Object.assign(invoice.lines, { total_count: invoice.lines.data.length });
    return invoice;
  }

  finalize(id: string, params: FormObject): StripeObject {
    const invoice = this.invoice(id);
    if (invoice.status !== "draft")
      throw invalid(
        "This invoice is already finalized, you can't re-finalize a non-draft invoice.",
        undefined,
        "invoice_not_editable",
      );
    this.invoiceSequence += 1;
    const at = this.now();
    const autoAdvance = bool(params.auto_advance, Boolean(invoice.auto_advance));
    Object.assign(invoice, {
      status: "open",
      number: `${String(this.customers.get(String(invoice.customer))?.invoice_prefix ?? "DOUBLE")}-${String(this.invoiceSequence).padStart(4, "0")}`,
      auto_advance: autoAdvance,
      effective_at: at,
      next_payment_attempt:
        autoAdvance && invoice.collection_method === "charge_automatically" ? at + firstAttemptAfter : null,
    });
    invoice.status_transitions.finalized_at = at;
    this.emit("invoice.finalized", invoice);
    return invoice;
  }

  /** `pay`: out of band (recorded, no money moves) or by charging the customer's default payment method now. */
  pay(id: string, params: FormObject): StripeObject {
    const invoice = this.invoice(id);
    this.expectStatus(invoice, ["open", "uncollectible"], "pay");
    if (bool(params.paid_out_of_band, false)) {
      invoice.paid_out_of_band = true;
      return this.markPaid(invoice);
    }
    if (!this.charge(invoice))
      throw new StripeDoubleError(402, "card_error", "Your card was declined.", "card_declined");
    return invoice;
  }

  void(id: string): StripeObject {
    const invoice = this.invoice(id);
    this.expectStatus(invoice, ["open", "uncollectible"], "void");
    Object.assign(invoice, { status: "void", next_payment_attempt: null, amount_remaining: 0 });
    invoice.status_transitions.voided_at = this.now();
    this.emit("invoice.voided", invoice);
    return invoice;
  }

  markUncollectible(id: string): StripeObject {
    const invoice = this.invoice(id);
    this.expectStatus(invoice, ["open"], "mark uncollectible");
    Object.assign(invoice, { status: "uncollectible", next_payment_attempt: null });
    invoice.status_transitions.marked_uncollectible_at = this.now();
    this.emit("invoice.marked_uncollectible", invoice);
    return invoice;
  }

  /**
   * One automatic payment attempt with the customer's default payment method, as Stripe makes for an open
   * `charge_automatically` invoice: paid, or the failure recorded and the next attempt scheduled.
   */
  charge(invoice: StripeInvoiceObject): boolean {
    const customer = this.customer(String(invoice.customer));
    const method = (customer.invoice_settings as { default_payment_method: string | null })
      .default_payment_method;
    invoice.attempt_count = Number(invoice.attempt_count) + 1;
    invoice.attempted = true;
    if (method && this.paymentMethods.get(method) === "succeeds") {
      this.markPaid(invoice);
      return true;
    }
    invoice.next_payment_attempt = invoice.auto_advance ? this.now() + retryAfter : null;
    this.emit("invoice.payment_failed", invoice);
    return false;
  }

  private markPaid(invoice: StripeInvoiceObject): StripeInvoiceObject {
    Object.assign(invoice, {
      status: "paid",
      amount_paid: Number(invoice.amount_paid) + Number(invoice.amount_remaining),
      amount_remaining: 0,
      next_payment_attempt: null,
    });
    invoice.status_transitions.paid_at = this.now();
    this.emit("invoice.paid", invoice);
    return invoice;
  }

  private expectStatus(invoice: StripeInvoiceObject, allowed: string[], action: string) {
    if (!allowed.includes(String(invoice.status)))
      throw new StripeDoubleError(
        400,
        "invalid_request_error",
        `You cannot ${action} an invoice that is ${String(invoice.status)}.`,
        "invoice_unexpected_state",
      );
  }

  private draft(id: string, message: string) {
    const invoice = this.invoice(id);
    if (invoice.status !== "draft") throw invalid(message, undefined, "invoice_not_editable");
    return invoice;
  }

  nextCreditNoteNumber(invoice: StripeInvoiceObject): string {
    this.creditNoteSequence += 1;
    return `${String(invoice.number)}-CN-${String(this.creditNoteSequence).padStart(2, "0")}`;
  }
}
