export { aggregateBatches, type BatchRef } from "./aggregation/aggregate-batches.ts";
export { findUnaggregatedBatches } from "./aggregation/find-unaggregated-batches.ts";
export {
  type AcceptedBatch,
  acceptBatch,
  defaultLateWindowMs,
  maxFutureSkewMs,
} from "./ingest/accept-batch.ts";
export { type Granularity, getUsage, type UsageRow } from "./queries/get-usage.ts";
