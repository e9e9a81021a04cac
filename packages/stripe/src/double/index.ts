export { objectId, type StripeStore } from "./objects.ts";
export { type Fault, type LoggedRequest, type StripeDouble, startStripeDouble } from "./server.ts";
