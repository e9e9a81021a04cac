export { type Actor, type AuditEntry, recordAudit, systemActor } from "./audit.ts";
export * from "./client.ts";
export { oldestWaitingBatch } from "./oldest-waiting-batch.ts";
export type { PageQuery } from "./page-query.ts";
export { dropSamplePartitionsBefore, ensureSamplePartitions } from "./partitions.ts";
export { dailyRollups, environmentHours, sealedBeforeSql } from "./sealed-rollups.ts";
