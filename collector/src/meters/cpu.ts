import { join } from "node:path";
import { parseFlatKeyed, readOptional } from "../cgroup/read.ts";
import { clockTicksPerSecond } from "../environments/process-tree.ts";
import { observeTreeCpu } from "../environments/tree-cpu.ts";
import type { Meter } from "./meter.ts";

/**
 * CPU time in microseconds. A cgroup keeps the CPU of processes that already exited, so its counter is
 * exact: v2 `cpu.stat` usage_usec, else v1 `cpuacct.usage` (nanoseconds, floored to µs; flooring a running
 * total loses nothing over time because consecutive deltas telescope).
 */
export const cpuMeter: Meter = {
  name: "cpu",
  kind: "counter",
  scale: 6,
  async read(scope) {
    if (scope.kind === "process_tree") {
      return (observeTreeCpu(scope.cpu, scope.members) * 1_000_000n) / clockTicksPerSecond();
    }
    if (scope.paths.v2) {
      const stat = await readOptional(join(scope.paths.v2, "cpu.stat"));
      const usec = stat === null ? undefined : parseFlatKeyed(stat).get("usage_usec");
      if (usec !== undefined) return usec;
    }
    if (scope.paths.cpuacct) {
      const ns = await readOptional(join(scope.paths.cpuacct, "cpuacct.usage"));
      if (ns !== null) return BigInt(ns.trim()) / 1000n;
    }
    return null;
  },
};
