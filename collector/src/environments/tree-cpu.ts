import type { ProcStat } from "./process-tree.ts";

/**
 * CPU of a process tree as a monotonic total, from per-process utime+stime. Processes are keyed by
 * (pid, start time), so a reused PID is a new process rather than a "reset" of the old one, and a process
 * that vanished keeps the CPU we last saw (folded into `retiredTicks`). CPU it burnt after our last look is
 * lost: the kernel gives it to whoever reaps it. Use a cgroup environment for an exact figure.
 */
export interface TreeCpuState {
  rootStartTime?: string;
  retiredTicks: bigint;
  live: Map<string, bigint>;
}

export function emptyTreeCpuState(): TreeCpuState {
  return { retiredTicks: 0n, live: new Map() };
}

/** Updates `state` with the tree's current members and returns the total ticks ever seen. */
export function observeTreeCpu(state: TreeCpuState, members: ProcStat[]): bigint {
  const seen = new Map<string, bigint>();
  for (const member of members) {
    const key = `${member.pid}:${member.startTime}`;
    const before = state.live.get(key) ?? 0n;
    // The kernel never lowers a live process's times; keep the larger one all the same.
    seen.set(key, member.cpuTicks > before ? member.cpuTicks : before);
  }
  for (const [key, ticks] of state.live) if (!seen.has(key)) state.retiredTicks += ticks;
  state.live = seen;
  let total = state.retiredTicks;
  for (const ticks of seen.values()) total += ticks;
  return total;
}
