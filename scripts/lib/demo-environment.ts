import { type ChildProcess, spawn } from "node:child_process";
import { existsSync, mkdirSync, rmdirSync, writeFileSync } from "node:fs";
import { join } from "node:path";

/**
 * Starts the demo workload in an isolated environment of this host: a child cgroup (v2 and, on hybrid
 * hosts, the matching v1 memory hierarchy) when we may create one, otherwise its process tree.
 */
export function startDemoWorkload(repoRoot: string): { child: ChildProcess; kind: "cgroup" | "process_tree"; selector: string; stop(): void } {
  const child = spawn(process.execPath, [join(repoRoot, "scripts/lib/demo-workload.mjs")], { stdio: "ignore" });
  const path = "meterplane-demo/app";
  const roots = cgroupRoots().map((root) => join(root, path));
  try {
    if (!roots.length) throw new Error("no cgroup hierarchy");
    for (const dir of roots) {
      mkdirSync(dir, { recursive: true });
      writeFileSync(join(dir, "cgroup.procs"), String(child.pid));
    }
    return { child, kind: "cgroup", selector: path, stop: () => stop(child, roots) };
  } catch {
    return { child, kind: "process_tree", selector: `pid:${child.pid}`, stop: () => stop(child, []) };
  }
}

function cgroupRoots(): string[] {
  if (existsSync("/sys/fs/cgroup/cgroup.controllers")) return ["/sys/fs/cgroup"];
  return ["/sys/fs/cgroup/unified", "/sys/fs/cgroup/memory"].filter((dir) => existsSync(join(dir, "cgroup.procs")));
}

function stop(child: ChildProcess, dirs: string[]) {
  child.kill("SIGKILL");
  setTimeout(() => {
    for (const dir of dirs) {
      try {
        rmdirSync(dir);
      } catch {
        // Still has a process in it for a moment, or already gone: the next start reuses it either way.
      }
    }
  }, 200).unref();
}
