import type { Meter } from "./meter.ts";

/** Processes, not threads: cgroup.procs lists thread-group leaders (pids.current would count threads). */
export const processesMeter: Meter = {
  name: "processes",
  kind: "gauge",
  scale: 0,
  read(scope) {
    return [{ value: BigInt(scope.members().length) }];
  },
};
