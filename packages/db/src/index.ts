export { type AuditEntry, recordAudit } from "./audit.ts";
export * from "./client.ts";
export { dropSamplePartitionsBefore, ensureSamplePartitions } from "./partitions.ts";
