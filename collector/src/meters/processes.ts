import { join } from "node:path";
import { countLines, readOptional } from "../cgroup/read.ts";
import type { Meter } from "./meter.ts";

/** Processes, not threads: cgroup.procs lists thread-group leaders (pids.current would count threads). */
export const processesMeter: Meter = {
  name: "processes",
  kind: "gauge",
  scale: 0,
  async read(scope) {
    if (scope.kind === "process_tree") return BigInt(scope.members.length);
    for (const dir of [scope.paths.v2, scope.paths.pids, scope.paths.memory, scope.paths.cpuacct]) {
      if (!dir) continue;
      const procs = await readOptional(join(dir, "cgroup.procs"));
      if (procs !== null) return BigInt(countLines(procs));
    }
    return null;
  },
};
