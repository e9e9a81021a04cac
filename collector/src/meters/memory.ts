import { join } from "node:path";
import { parseFlatKeyed, readOptional } from "../cgroup/read.ts";
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
  async read(scope) {
    if (scope.kind === "process_tree") {
      let total = 0n;
      for (const member of scope.members) total += await pssBytes(member.pid);
      return total;
    }
    if (scope.paths.v2) {
      const usage = await cgroupUsage(scope.paths.v2, "memory.current", "inactive_file");
      if (usage !== null) return usage;
    }
    if (scope.paths.memory) {
      return cgroupUsage(scope.paths.memory, "memory.usage_in_bytes", "total_inactive_file");
    }
    return null;
  },
};

async function cgroupUsage(dir: string, usageFile: string, inactiveKey: string): Promise<bigint | null> {
  const [usage, stat] = await Promise.all([
    readOptional(join(dir, usageFile)),
    readOptional(join(dir, "memory.stat")),
  ]);
  if (usage === null || stat === null) return null;
  const working = BigInt(usage.trim()) - (parseFlatKeyed(stat).get(inactiveKey) ?? 0n);
  return working > 0n ? working : 0n;
}

async function pssBytes(pid: number): Promise<bigint> {
  // A process that exited since the /proc pass has no memory left to count.
  const rollup = await readOptional(`/proc/${pid}/smaps_rollup`);
  const kib = rollup?.match(/^Pss:\s+(\d+) kB$/m)?.[1];
  return kib ? BigInt(kib) * 1024n : 0n;
}
