export {
  aggregateBatches,
  aggregationSessionOptions,
  type BatchRef,
} from "./aggregation/aggregate-batches.ts";
export {
  type AggregationGroups,
  createAggregationGroups,
  createHostLanes,
  type GroupResult,
} from "./aggregation/aggregate-in-groups.ts";
export { findUnaggregatedBatches } from "./aggregation/find-unaggregated-batches.ts";
// The worker's share of a group (decode, fold, COPY text), for the fold bench.
export { foldDays, foldStoredBatches } from "./aggregation/fold-group.ts";
export {
  type DeadLetteredBatch,
  listDeadLetteredBatches,
  maxAggregationAttempts,
  recordAggregationFailure,
} from "./aggregation/record-aggregation-failure.ts";
export { rollupCopyChunks } from "./aggregation/rollup-copy-text.ts";
export { defaultSealGraceMs, sealHours } from "./aggregation/seal-hours.ts";
export { bucketStartOf, bucketStarts, nextBucketStart } from "./display/bucket-starts.ts";
export { type DisplayUnit, displayUnit, type MeterDisplay, meterDisplay } from "./display/meter-units.ts";
export { type ChartSeries, type MeterChart, type UsageCharts, usageCharts } from "./display/usage-charts.ts";
export {
  type AcceptedBatch,
  acceptBatch,
  type CheckedBatch,
  checkBatch,
  defaultLateWindowMs,
  type HostEnvironments,
  loadHostEnvironments,
  maxFutureSkewMs,
  storeBatch,
} from "./ingest/accept-batch.ts";
export { isStoredBatch } from "./ingest/is-stored-batch.ts";
export { boundPipelineBacklog } from "./monitoring/bound-pipeline-backlog.ts";
export { type FleetRollupDrift, findFleetRollupDrift } from "./monitoring/find-fleet-rollup-drift.ts";
export { findRollupDrift, type RollupDrift } from "./monitoring/find-rollup-drift.ts";
export { getPipelineBacklog, type PipelineBacklog } from "./monitoring/get-pipeline-backlog.ts";
export { registerPipelineMetrics } from "./monitoring/register-pipeline-metrics.ts";
export { getMeterTrends } from "./queries/get-meter-trends.ts";
export {
  type GroupQuery,
  getUsage,
  type SeriesQuery,
  type UsageGrouping,
  type UsageGroupRow,
  type UsageRow,
} from "./queries/get-usage.ts";
export {
  type ResolvedUsageRange,
  resolveUsageRange,
  type UsageRangePreset,
  usageRangePresets,
} from "./queries/resolve-usage-range.ts";
export {
  bucketForRange,
  bucketMs,
  checkUsageRange,
  maxRangeDays,
  type UsageBucket,
  usageBuckets,
  widestRangeDays,
} from "./queries/usage-range.ts";
export { defaultRetentionDays, dropExpiredSamples } from "./retention/drop-expired-samples.ts";
