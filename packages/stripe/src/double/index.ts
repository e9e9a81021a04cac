export { objectId, type StripeEvent, type StripeInvoiceObject, type StripeStore } from "./objects.ts";
export { endpointParams, type Shape } from "./params.ts";
export {
  type Fault,
  idempotencyKeyLifetimeSeconds,
  type LoggedRequest,
  type StripeDouble,
  signWebhook,
  startStripeDouble,
} from "./server.ts";
