import type { CgroupLayout } from "../cgroup/layout.ts";
import { type CgroupPaths, cgroupExists, cgroupPaths } from "./cgroup.ts";
import { type ProcStat, type ProcTable, parsePidSelector, processTree } from "./process-tree.ts";
import type { TreeCpuState } from "./tree-cpu.ts";

/** An environment as the server configures it. */
export interface EnvironmentConfig {
  id: string;
  kind: "cgroup" | "systemd_unit" | "container" | "process_tree";
  selector: string;
  meters: string[];
}

/** What the meters read for one environment at one instant. */
export type Scope =
  | { kind: "cgroup"; paths: CgroupPaths }
  | { kind: "process_tree"; members: ProcStat[]; cpu: TreeCpuState };

export interface ScopeContext {
  layout: CgroupLayout;
  /** One /proc pass per tick, shared by every process_tree environment. */
  procTable: () => Promise<ProcTable>;
  /** The persisted CPU tracker of a process_tree environment. */
  treeCpu: (environmentId: string) => TreeCpuState;
}

export class UnsupportedEnvironmentError extends Error {}

/**
 * Resolves an environment to what to read now, or null when it is absent (cgroup not created yet, root
 * process exited). Throws for a kind or selector we cannot handle, which no retry will fix.
 */
export async function resolveScope(env: EnvironmentConfig, ctx: ScopeContext): Promise<Scope | null> {
  switch (env.kind) {
    case "cgroup": {
      const paths = cgroupPaths(ctx.layout, env.selector);
      return cgroupExists(paths) ? { kind: "cgroup", paths } : null;
    }
    case "process_tree": {
      const rootPid = parsePidSelector(env.selector);
      const cpu = ctx.treeCpu(env.id);
      const table = await ctx.procTable();
      const members = processTree(table, rootPid, cpu.rootStartTime);
      if (!members) return null;
      // Pin the root's identity at first sight, so a reused PID is not mistaken for the environment.
      cpu.rootStartTime ??= members[0]?.startTime;
      return { kind: "process_tree", members, cpu };
    }
    default:
      throw new UnsupportedEnvironmentError(`environment kind "${env.kind}" is not supported yet`);
  }
}
