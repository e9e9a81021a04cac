import { join } from "node:path";
import { keyedValue, readSmall } from "../proc/fast-read.ts";
import type { Meter } from "./meter.ts";

/**
 * Resident memory in bytes. For a cgroup: usage less inactive file cache (cache the kernel would drop first
 * is not the tenant's working set). For a process tree: PSS summed, so shared pages count once, not once
 * per process as RSS would.
 */
export const memoryMeter: Meter = {
  name: "memory",
  kind: "gauge",
  scale: 0,
  read(scope) {
    if (scope.kind === "process_tree") {
      let total = 0n;
      for (const member of scope.members()) total += pssBytes(member.pid);
      return [{ value: total }];
    }
    const { v2, memory } = scope.paths ?? {};
    const usage =
      (v2 ? cgroupUsage(v2, "memory.current", "inactive_file") : null) ??
      (memory ? cgroupUsage(memory, "memory.usage_in_bytes", "total_inactive_file") : null);
    return usage === null ? null : [{ value: usage }];
  },
};

function cgroupUsage(dir: string, usageFile: string, inactiveKey: string): bigint | null {
  const usage = readSmall(join(dir, usageFile));
  const stat = usage === null ? null : readSmall(join(dir, "memory.stat"));
  if (usage === null || stat === null) return null;
  const working = BigInt(usage.trim()) - (keyedValue(stat, inactiveKey) ?? 0n);
  return working > 0n ? working : 0n;
}

function pssBytes(pid: number): bigint {
  // A process that exited since the /proc pass has no memory left to count.
  const rollup = readSmall(`/proc/${pid}/smaps_rollup`);
  const kib = rollup === null ? undefined : keyedValue(rollup, "Pss");
  return kib === undefined ? 0n : kib * 1024n;
}
