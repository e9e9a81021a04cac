import { checkAmount } from "./currencies.ts";
import { invalid, missing, StripeDoubleError } from "./errors.ts";
import type { FormObject } from "./form.ts";
import { objectId, type StripeObject, type StripeStore } from "./objects.ts";
import { integer, metadataOf, obj, str } from "./values.ts";

/**
 * A credit note on an open or paid invoice, with custom lines. On an open invoice it lowers what is due; on a
 * paid one Stripe must be told where the money goes, so the refund, credit and out-of-band amounts must
 * add up to the credit note's total.
 */
export function createCreditNote(store: StripeStore, params: FormObject): StripeObject {
  const invoiceId = str(params.invoice);
  if (!invoiceId) throw invalid("Missing required param: invoice.", "invoice", "parameter_missing");
  const invoice = store.invoices.get(invoiceId);
  if (!invoice) throw missing("invoice", invoiceId, "invoice");
  if (invoice.status !== "open" && invoice.status !== "paid")
    throw new StripeDoubleError(
      400,
      "invalid_request_error",
      `You can only create a credit note for an open or paid invoice; this one is ${String(invoice.status)}.`,
      "invoice_unexpected_state",
    );
  const currency = String(invoice.currency);
  const rawLines = Array.isArray(params.lines) ? params.lines : [];
  if (!rawLines.length) throw invalid("Missing required param: lines.", "lines", "parameter_missing");
  const lines = rawLines.map((raw, index) => {
    const line = obj(raw) ?? {};
    if (str(line.type) !== "custom_line_item")
      throw invalid("Only custom_line_item lines are supported here.", `lines[${index}][type]`);
    const unitAmount = integer(line.unit_amount, `lines[${index}][unit_amount]`);
    const quantity = integer(line.quantity ?? "1", `lines[${index}][quantity]`);
    checkAmount(unitAmount, currency, `lines[${index}][unit_amount]`);
    return {
      id: objectId("cnli"),
      object: "credit_note_line_item",
      amount: unitAmount * quantity,
      description: str(line.description) ?? null,
      quantity,
      type: "custom_line_item",
      unit_amount: unitAmount,
    };
  });
  const total = lines.reduce((sum, line) => sum + line.amount, 0);
  const outOfBand = params.out_of_band_amount ? integer(params.out_of_band_amount, "out_of_band_amount") : 0;
  const credit = params.credit_amount ? integer(params.credit_amount, "credit_amount") : 0;
  const refund = params.refund_amount ? integer(params.refund_amount, "refund_amount") : 0;
  if (invoice.status === "open") {
    if (total > Number(invoice.amount_remaining))
      throw invalid("The credit note's total exceeds the invoice's amount remaining.", "lines");
    if (outOfBand + credit + refund !== 0)
      throw invalid(
        "An open invoice's credit note lowers the amount due; no refund or credit amounts.",
        "credit_amount",
      );
    invoice.amount_due = Number(invoice.amount_due) - total;
    invoice.amount_remaining = Number(invoice.amount_remaining) - total;
    invoice.pre_payment_credit_notes_amount = Number(invoice.pre_payment_credit_notes_amount) + total;
  } else {
    if (outOfBand + credit + refund !== total)
      throw invalid(
        "The sum of credit_amount, refund_amount and out_of_band_amount must equal the credit note amount.",
        "out_of_band_amount",
      );
    invoice.post_payment_credit_notes_amount = Number(invoice.post_payment_credit_notes_amount) + total;
  }
  const id = objectId("cn");
  const note = {
    id,
    object: "credit_note",
    amount: total,
    created: store.now(),
    currency,
    customer: invoice.customer,
    invoice: invoiceId,
    lines: { object: "list", data: lines, has_more: false, url: `/v1/credit_notes/${id}/lines` },
    livemode: false,
    memo: str(params.memo) ?? null,
    metadata: metadataOf(params.metadata),
    number: store.nextCreditNoteNumber(invoice),
    out_of_band_amount: outOfBand || null,
    reason: str(params.reason) ?? null,
    status: "issued",
    subtotal: total,
    total,
    type: invoice.status === "open" ? "pre_payment" : "post_payment",
  };
  store.creditNotes.set(id, note);
  return note;
}

export function listCreditNotes(store: StripeStore, query: FormObject): StripeObject {
  const invoice = str(query.invoice);
  return store.list(
    [...store.creditNotes.values()].filter((n) => !invoice || n.invoice === invoice),
    query,
    "/v1/credit_notes",
  );
}
