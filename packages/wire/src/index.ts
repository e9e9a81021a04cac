export * from "./batch.ts";
export * from "./collector-config.ts";
export * from "./collector-release.ts";
export * from "./dimensions.ts";
export * from "./meters.ts";
export * from "./parse-batch.ts";
export * from "./stored-batch.ts";
export * from "./versions.ts";
