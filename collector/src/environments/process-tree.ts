import { execFileSync } from "node:child_process";
import { readdir } from "node:fs/promises";
import { readOptional } from "../cgroup/read.ts";

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
export async function readProcTable(procRoot = "/proc"): Promise<ProcTable> {
  const table: ProcTable = new Map();
  for (const name of await readdir(procRoot)) {
    if (!/^\d+$/.test(name)) continue;
    const text = await readOptional(`${procRoot}/${name}/stat`);
    const stat = text === null ? null : parseProcStat(Number(name), text);
    if (stat) table.set(stat.pid, stat);
  }
  return table;
}

/** The root and all its descendants, or null when the root is gone or its PID now names another process. */
export function processTree(table: ProcTable, rootPid: number, rootStartTime?: string): ProcStat[] | null {
  const root = table.get(rootPid);
  if (!root || (rootStartTime !== undefined && root.startTime !== rootStartTime)) return null;
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

export function parsePidSelector(selector: string): number {
  const match = /^pid:(\d+)$/.exec(selector);
  if (!match?.[1] || Number(match[1]) < 1)
    throw new Error(`invalid process_tree selector "${selector}": expected pid:<n>`);
  return Number(match[1]);
}

let clockTicks: bigint | undefined;
/** USER_HZ, the unit of utime/stime: 100 on every Linux we know, but ask once rather than assume. */
export function clockTicksPerSecond(): bigint {
  clockTicks ??= BigInt(execFileSync("getconf", ["CLK_TCK"], { encoding: "utf8" }).trim());
  return clockTicks;
}
