export * from "./database.ts";
export * from "./factories.ts";
export * from "./processes.ts";
export * from "./usage-history.ts";
