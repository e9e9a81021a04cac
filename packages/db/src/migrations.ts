// Kept apart from the client's entry point: these read files beside the repo, which app bundles must not.
export { postgresServerUrl } from "./env.ts";
export { applyMigrations, migrationsDir, readMigrations } from "./migrate.ts";
export { createScratchDatabase, databaseUrl } from "./test-database.ts";
