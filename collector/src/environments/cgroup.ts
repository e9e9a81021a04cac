import { existsSync } from "node:fs";
import { join } from "node:path";
import type { CgroupLayout } from "../cgroup/layout.ts";

/** The directories of one environment's cgroup in each hierarchy this host has (they may not exist yet). */
export interface CgroupPaths {
  v2?: string;
  memory?: string;
  cpuacct?: string;
  pids?: string;
}

/**
 * A cgroup selector is a path relative to the hierarchy roots ("meterplane-demo/abc"), the same in every
 * hierarchy. It comes from the server, so it must not climb out of the cgroup mounts.
 */
export function cgroupPaths(layout: CgroupLayout, selector: string): CgroupPaths {
  const relative = selector.replace(/^\/+/, "");
  if (relative === "" || relative.split("/").some((part) => part === ".." || part === "."))
    throw new Error(`invalid cgroup selector "${selector}": expected a relative path like "slice/app"`);
  const under = (root: string | undefined) => (root ? join(root, relative) : undefined);
  return {
    v2: under(layout.v2),
    memory: under(layout.v1.memory),
    cpuacct: under(layout.v1.cpuacct),
    pids: under(layout.v1.pids),
  };
}

/** An environment whose cgroup exists in no hierarchy is absent right now (not started, or removed). */
export function cgroupExists(paths: CgroupPaths): boolean {
  return [paths.v2, paths.memory, paths.cpuacct, paths.pids].some(
    (dir) => dir !== undefined && existsSync(dir),
  );
}
