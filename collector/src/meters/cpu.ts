import { join } from "node:path";
import { clockTicksPerSecond } from "../environments/process-tree.ts";
import { observeRunningTotal } from "../environments/running-total.ts";
import { keyedValue, readSmall } from "../proc/fast-read.ts";
import type { Meter } from "./meter.ts";

/**
 * CPU time in microseconds. A cgroup keeps the CPU of processes that already exited, so its counter is
 * exact: v2 `cpu.stat` usage_usec, else v1 `cpuacct.usage` (nanoseconds, floored to µs; flooring a running
 * total loses nothing over time because consecutive deltas telescope). A process tree sums utime+stime
 * of its members as a running total (see running-total.ts for exits and PID reuse).
 */
export const cpuMeter: Meter = {
  name: "cpu",
  kind: "counter",
  scale: 6,
  read(scope) {
    if (scope.kind === "process_tree") {
      const parts = scope.members().map((m) => ({ key: `${m.pid}:${m.startTime}`, value: m.cpuTicks }));
      const ticks = observeRunningTotal(scope.total("cpu"), parts);
      return [{ value: (ticks * 1_000_000n) / clockTicksPerSecond() }];
    }
    const { v2, cpuacct } = scope.paths ?? {};
    const stat = v2 ? readSmall(join(v2, "cpu.stat")) : null;
    const usec = stat === null ? undefined : keyedValue(stat, "usage_usec");
    if (usec !== undefined) return [{ value: usec, source: scope.identity }];
    const ns = cpuacct ? readSmall(join(cpuacct, "cpuacct.usage")) : null;
    if (ns !== null) return [{ value: BigInt(ns.trim()) / 1000n, source: scope.identity }];
    return null;
  },
};
