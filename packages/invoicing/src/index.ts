export { getRevenueComparison } from "./dashboard/get-revenue-comparison.ts";
export { listRecentFailures } from "./dashboard/list-recent-failures.ts";
export { finalizeInvoice } from "./invoices/finalize-invoice.ts";
export { getInvoiceDocument, type InvoiceDocument, invoiceTitle } from "./invoices/get-invoice-document.ts";
export { getLineWork, type LineWork } from "./invoices/get-line-work.ts";
export { issueCreditNote } from "./invoices/issue-credit-note.ts";
<<<<<<< HEAD
export { invoiceSorts, listInvoicesPage } from "./invoices/list-invoices-page.ts";
export { type Actor, defaultIssuer, systemActor } from "./invoices/lock-invoice.ts";
=======
export { defaultIssuer } from "./invoices/lock-invoice.ts";
>>>>>>> main
export { markInvoicePaid } from "./invoices/mark-invoice-paid.ts";
export { previewReRate } from "./invoices/preview-re-rate.ts";
export { rateSubscriptionPeriod } from "./invoices/rate-subscription-period.ts";
export { renderInvoiceCsv } from "./invoices/render-invoice-csv.ts";
export { renderInvoicePdf } from "./invoices/render-invoice-pdf.ts";
export { runInvoicing } from "./invoices/run-invoicing.ts";
export { type Seller, sellerEnv, sellerFrom } from "./invoices/seller.ts";
export { voidInvoice } from "./invoices/void-invoice.ts";
export { createBillableMetric } from "./plans/create-billable-metric.ts";
export { createPlan } from "./plans/create-plan.ts";
export { createPlanVersion } from "./plans/create-plan-version.ts";
export type { PlanVersionInput } from "./plans/plan-version-input.ts";
export { cancelSubscription } from "./subscriptions/cancel-subscription.ts";
export { createSubscription } from "./subscriptions/create-subscription.ts";
export { moveSubscription } from "./subscriptions/move-subscription.ts";
