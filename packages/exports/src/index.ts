export { decodeCursor, encodeCursor, type Page, toPage } from "./cursors/page-cursor.ts";
export {
  type EnvironmentView,
  getEnvironment,
  listEnvironments,
} from "./environments/list-environments.ts";
export { etagOf, ifNoneMatchHits } from "./etags/etag.ts";
export { type InvoiceLineView, listInvoiceLines } from "./invoices/list-invoice-lines.ts";
export { getInvoice, type InvoiceView, listInvoices } from "./invoices/list-invoices.ts";
export { limitRequest, type RateLimitState, rateLimitHeaders } from "./rate-limits/limit-request.ts";
export {
  type SampleFormat,
  sampleContentTypes,
  sampleFormats,
} from "./samples/sample-formats.ts";
export { type SampleExportQuery, streamSamples } from "./samples/stream-samples.ts";
export {
  listUsageRollups,
  type RollupGranularity,
  rollupGranularities,
  type UsageRollup,
} from "./usage/list-usage-rollups.ts";
