export { type Actor, type AuditEntry, recordAudit, systemActor } from "./audit.ts";
export * from "./client.ts";
export { dropSamplePartitionsBefore, ensureSamplePartitions } from "./partitions.ts";
