import { execFileSync } from "node:child_process";
import { listDir, readSmall } from "../proc/fast-read.ts";

/** What /proc/PID/stat tells us about one process. `startTime` (clock ticks after boot) tells PIDs apart. */
export interface ProcStat {
  pid: number;
  ppid: number;
  startTime: string;
  /** utime + stime, in clock ticks */
  cpuTicks: bigint;
}

export type ProcTable = Map<number, ProcStat>;

export function parseProcStat(pid: number, text: string): ProcStat | null {
  // comm (field 2) may hold spaces and parentheses, so split after the last ")".
  const fields = text.slice(text.lastIndexOf(")") + 2).split(" ");
  const [ppid, utime, stime, startTime] = [fields[1], fields[11], fields[12], fields[19]];
  if (!ppid || !utime || !stime || !startTime) return null;
  return { pid, ppid: Number(ppid), startTime, cpuTicks: BigInt(utime) + BigInt(stime) };
}

/** One pass over /proc: every process (not thread) with its parent, start time and CPU ticks. */
export function readProcTable(procRoot = "/proc"): ProcTable {
  const table: ProcTable = new Map();
  for (const name of listDir(procRoot)) {
    const first = name.charCodeAt(0);
    if (first < 48 || first > 57) continue;
    const text = readSmall(`${procRoot}/${name}/stat`);
    const stat = text === null ? null : parseProcStat(Number(name), text);
    if (stat) table.set(stat.pid, stat);
  }
  return table;
}

/** The root and all its descendants, or null when the root is gone. */
export function processTree(table: ProcTable, rootPid: number): ProcStat[] | null {
  const root = table.get(rootPid);
  if (!root) return null;
  const children = new Map<number, ProcStat[]>();
  for (const stat of table.values()) {
    const siblings = children.get(stat.ppid) ?? [];
    siblings.push(stat);
    children.set(stat.ppid, siblings);
  }
  const members: ProcStat[] = [];
  const queue = [root];
  for (let next = queue.pop(); next; next = queue.pop()) {
    members.push(next);
    queue.push(...(children.get(next.pid) ?? []));
  }
  return members;
}

/** A process_tree selector: one root by PID, or every top-most process whose command line matches. */
export interface TreeSelector {
  pid?: number;
  cmdline?: RegExp;
}

export function parseTreeSelector(selector: string): TreeSelector {
  const pid = /^pid:(\d+)$/.exec(selector)?.[1];
  if (pid && Number(pid) >= 1) return { pid: Number(pid) };
  const pattern = /^cmdline:(.+)$/s.exec(selector)?.[1];
  if (pattern) {
    try {
      return { cmdline: new RegExp(pattern) };
    } catch (error) {
      throw new Error(`invalid process_tree selector "${selector}": ${(error as Error).message}`);
    }
  }
  throw new Error(`invalid process_tree selector "${selector}": expected pid:<n> or cmdline:<regex>`);
}

/**
 * The roots of a tree environment now. A cmdline match follows the application across restarts (a new
 * PID matches again); only top-most matches are roots, so a matching child is not counted twice. Command
 * lines are read only for cmdline environments (NUL-separated arguments joined with spaces).
 */
export function treeRoots(table: ProcTable, selector: TreeSelector, pinnedStart?: string): ProcStat[] {
  if (selector.pid !== undefined) {
    const root = table.get(selector.pid);
    return root && (pinnedStart === undefined || root.startTime === pinnedStart) ? [root] : [];
  }
  const pattern = selector.cmdline as RegExp;
  const matching = new Set<number>();
  for (const stat of table.values()) {
    const cmdline = readSmall(`/proc/${stat.pid}/cmdline`);
    if (cmdline && pattern.test(cmdline.replaceAll("\0", " ").trimEnd())) matching.add(stat.pid);
  }
  return [...matching]
    .filter((pid) => !matching.has(table.get(pid)?.ppid ?? 0))
    .flatMap((pid) => table.get(pid) ?? []);
}

let clockTicks: bigint | undefined;
/** USER_HZ, the unit of utime/stime: 100 on every Linux we know, but ask once rather than assume. */
export function clockTicksPerSecond(): bigint {
  clockTicks ??= BigInt(execFileSync("getconf", ["CLK_TCK"], { encoding: "utf8" }).trim());
  return clockTicks;
}
