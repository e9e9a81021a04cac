export { type AuditEntry, recordAudit } from "./audit.ts";
export * from "./client.ts";
export { applyMigrations, migrationsDir, readMigrations } from "./migrate.ts";
export { dropSamplePartitionsBefore, ensureSamplePartitions } from "./partitions.ts";
export { createScratchDatabase, databaseUrl } from "./test-database.ts";
