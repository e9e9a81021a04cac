import { statSync } from "node:fs";
import { join } from "node:path";
import type { EnvironmentHandover } from "@meterplane/wire";
import type { CgroupLayout } from "../cgroup/layout.ts";
import { readSmall } from "../proc/fast-read.ts";
import type { TickReader } from "../proc/tick-reader.ts";
import { type CgroupPaths, cgroupExists, cgroupPaths } from "./cgroup.ts";
import { findCgroup } from "./find-cgroup.ts";
import { type ProcStat, parseTreeSelector, processTree, treeRoots } from "./process-tree.ts";
import type { RunningTotal } from "./running-total.ts";

/** An environment as the server configures it (`from`/`until`/`handover`: see the wire's collector config). */
export interface EnvironmentConfig {
  id: string;
  kind: "cgroup" | "systemd_unit" | "container" | "process_tree";
  selector: string;
  meters: string[];
  from?: string;
  until?: string;
  handover?: EnvironmentHandover | null;
}

/**
 * What the meters read for one environment during one tick. systemd units and containers are cgroups
 * once found. `identity` names the kernel object behind cgroup-wide counters (the cgroup directory's
 * inode): when it changes, the cgroup was recreated and its counters restarted from zero.
 */
export interface Scope {
  env: EnvironmentConfig;
  kind: "cgroup" | "process_tree";
  paths?: CgroupPaths;
  identity: string;
  /** Processes in the environment now. */
  members(): ProcStat[];
  tick: TickReader;
  /** A persisted running total of this environment (see running-total.ts). */
  total(name: string): RunningTotal;
  /** Transactions reported by the environment's processes since the last call, when an endpoint runs. */
  reports?: () => bigint;
}

export interface ScopeContext {
  layout: CgroupLayout;
  tick: TickReader;
  total: (environmentId: string, name: string) => RunningTotal;
  /** Start time of a pid: environment's root, pinned at first sight so a reused PID is not mistaken for it. */
  roots: Map<string, string>;
  reports?: (environmentId: string) => bigint;
}

/**
 * Resolves an environment to what to read now, or null when it is absent (cgroup not created yet, unit
 * stopped, root process exited). Throws for a selector we cannot handle, which no retry will fix.
 */
export function resolveScope(env: EnvironmentConfig, ctx: ScopeContext): Scope | null {
  const { reports } = ctx;
  const base = {
    env,
    tick: ctx.tick,
    total: (name: string) => ctx.total(env.id, name),
    reports: reports && (() => reports(env.id)),
  };
  if (env.kind === "process_tree") {
    const selector = parseTreeSelector(env.selector);
    const table = ctx.tick.procTable();
    const pinned = ctx.roots.get(env.id);
    const roots = treeRoots(table, selector, pinned);
    if (roots.length === 0) return null;
    if (selector.pid !== undefined && roots[0]) ctx.roots.set(env.id, roots[0].startTime);
    const members = roots.flatMap((root) => processTree(table, root.pid) ?? []);
    return { ...base, kind: "process_tree", identity: "tree", members: () => members };
  }
  const relative = env.kind === "cgroup" ? env.selector : findCgroup(ctx.layout, env.kind, env.selector);
  if (relative === undefined) return null;
  const paths = cgroupPaths(ctx.layout, relative);
  if (!cgroupExists(paths)) return null;
  let members: ProcStat[] | undefined;
  return {
    ...base,
    kind: "cgroup",
    paths,
    identity: cgroupIdentity(paths),
    members: () => {
      members ??= cgroupPids(paths).flatMap((pid) => ctx.tick.stat(pid) ?? []);
      return members;
    },
  };
}

/** Processes (thread-group leaders) of a cgroup, from the first hierarchy that has the directory. */
export function cgroupPids(paths: CgroupPaths): number[] {
  for (const dir of [paths.v2, paths.pids, paths.memory, paths.cpuacct]) {
    const text = dir ? readSmall(join(dir, "cgroup.procs")) : null;
    if (text === null) continue;
    const pids: number[] = [];
    for (const line of text.split("\n")) if (line) pids.push(Number(line));
    return pids;
  }
  return [];
}

function cgroupIdentity(paths: CgroupPaths): string {
  for (const dir of [paths.v2, paths.cpuacct, paths.memory, paths.pids]) {
    const stat = dir ? statSync(dir, { throwIfNoEntry: false }) : undefined;
    if (stat) return `cgroup:${stat.ino}`;
  }
  return "cgroup";
}
