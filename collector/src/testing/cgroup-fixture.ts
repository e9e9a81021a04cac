import { spawn } from "node:child_process";
import { randomBytes } from "node:crypto";
import { mkdirSync, readFileSync, rmdirSync } from "node:fs";
import { join } from "node:path";
import type { CgroupLayout } from "../cgroup/layout.ts";

/** A real child cgroup in every hierarchy we meter from (v2 child plus v1 memory and pids children). */
export interface TestCgroup {
  selector: string;
  dirs: string[];
}

/** Why cgroup tests cannot run here, or undefined when they can (we need root and writable hierarchies). */
export function cgroupSkipReason(layout: CgroupLayout): string | undefined {
  if (!layout.v2 && !layout.v1.memory) return "no cgroup hierarchy mounted";
  try {
    const probe = createTestCgroup(layout);
    removeTestCgroup(probe);
    return undefined;
  } catch (error) {
    return `cgroups not writable: ${(error as Error).message}`;
  }
}

export function createTestCgroup(layout: CgroupLayout): TestCgroup {
  const selector = `meterplane-test-${randomBytes(4).toString("hex")}`;
  const roots = [layout.v2, layout.v1.memory, layout.v1.pids, layout.v1.cpuacct].filter(
    (root) => root !== undefined,
  );
  const dirs: string[] = [];
  for (const root of roots) {
    const dir = join(root, selector);
    mkdirSync(dir);
    dirs.push(dir);
  }
  return { selector, dirs };
}

/** Spawns a shell that joins the cgroup in every hierarchy and then execs `node -e script`. */
export function spawnInCgroup(cgroup: TestCgroup, script: string, env: Record<string, string> = {}) {
  const join = cgroup.dirs.map((dir) => `echo $$ > ${dir}/cgroup.procs`).join(" && ");
  return spawn("sh", ["-c", `${join} && exec "${process.execPath}" -e "$SCRIPT"`], {
    env: { ...process.env, ...env, SCRIPT: script },
    stdio: ["ignore", "pipe", "inherit"],
  });
}

export function cgroupPids(cgroup: TestCgroup): number[] {
  const pids = new Set<number>();
  for (const dir of cgroup.dirs) {
    for (const line of readFileSync(join(dir, "cgroup.procs"), "utf8").split("\n"))
      if (line) pids.add(Number(line));
  }
  return [...pids];
}

/** Kills whatever is left inside, waits for the kernel to empty the cgroups, removes them. */
export async function destroyTestCgroup(cgroup: TestCgroup): Promise<void> {
  for (let attempt = 0; attempt < 100; attempt++) {
    const pids = cgroupPids(cgroup);
    if (pids.length === 0) break;
    for (const pid of pids) process.kill(pid, "SIGKILL");
    await new Promise((resolve) => setTimeout(resolve, 50));
  }
  removeTestCgroup(cgroup);
}

function removeTestCgroup(cgroup: TestCgroup): void {
  for (const dir of cgroup.dirs) rmdirSync(dir);
}
