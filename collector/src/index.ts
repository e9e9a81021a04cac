export { detectCgroupLayout } from "./cgroup/layout.ts";
export { measureOnce } from "./commands/once.ts";
export { runCollector } from "./commands/run.ts";
export { Sampler } from "./sampler.ts";
export { Shipper } from "./shipper.ts";
export { continueSequenceFrom, Spool } from "./spool.ts";
export { collectorVersion } from "./version.ts";
