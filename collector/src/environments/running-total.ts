/**
 * A monotonic total over parts that come and go: processes (CPU ticks, disk bytes) or sockets (network
 * bytes). Parts are keyed so a reused PID or inode is a new part rather than a "reset" of the old one
 * (processes: "pid:starttime"). A part that vanished keeps the value we last saw (folded into `retired`),
 * unless its parent is still a live part: the kernel adds a reaped child's I/O to its parent's
 * /proc/PID/io, so counting the child too would count it twice. What a part did after our last look and
 * before vanishing is lost unless a parent absorbs it: cgroup-wide kernel counters are exact, use them
 * where they exist.
 */
export interface RunningTotal {
  retired: bigint;
  live: Map<string, bigint>;
  /** live part → the part that absorbs it when it ends */
  parents: Map<string, string>;
}

export interface Part {
  key: string;
  value: bigint;
  /** Set when the kernel folds this part into its parent when it ends (process I/O, not CPU). */
  parentKey?: string;
}

export function emptyRunningTotal(): RunningTotal {
  return { retired: 0n, live: new Map(), parents: new Map() };
}

/** Updates `state` with the parts present now and returns the total ever seen. */
export function observeRunningTotal(state: RunningTotal, parts: Part[]): bigint {
  const seen = new Map<string, bigint>();
  const parents = new Map<string, string>();
  for (const part of parts) {
    const before = state.live.get(part.key) ?? 0n;
    // The kernel never lowers these counters for a live part; keep the larger one all the same.
    seen.set(part.key, part.value > before ? part.value : before);
    if (part.parentKey) parents.set(part.key, part.parentKey);
  }
  for (const [key, value] of state.live) {
    if (seen.has(key)) continue;
    const parent = state.parents.get(key);
    if (!parent || !seen.has(parent)) state.retired += value;
  }
  state.live = seen;
  state.parents = parents;
  let total = state.retired;
  for (const value of seen.values()) total += value;
  return total;
}
