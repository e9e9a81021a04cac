export {
  type AnomalyFilter,
  acknowledgeAnomaly,
  anomalySeriesPoints,
  countOpenAnomalies,
  listAnomalies,
  muteSeriesOf,
} from "./queries/list-anomalies.ts";
export { anomalyMessage, type NewAnomaly, recordAnomaly } from "./scan/record-anomaly.ts";
export { type ScanOptions, type SeriesKey, scanSeries } from "./scan/scan-series.ts";
export { aggregatedThrough, scanSilence } from "./scan/scan-silence.ts";
export { backoffMs, deliverWebhooks, deliverySettings } from "./webhooks/deliver-webhooks.ts";
export {
  createWebhookEndpoint,
  disableWebhookEndpoint,
  listWebhookEndpoints,
  sendTestWebhook,
} from "./webhooks/manage-endpoints.ts";
export { signatureHeader, signWebhook, timestampHeader, verifyWebhook } from "./webhooks/sign-webhook.ts";
