import { type ChildProcess, spawn } from "node:child_process";
import { accessSync, constants, existsSync, mkdirSync, rmdirSync } from "node:fs";
import { join } from "node:path";

/**
 * Starts the demo workload in an isolated environment of this host: a child cgroup (v2 and, on hybrid
 * hosts, the matching v1 memory hierarchy) when we may create one, otherwise its process tree.
 */
export function startDemoWorkload(repoRoot: string): {
  child: ChildProcess;
  kind: "cgroup" | "process_tree";
  selector: string;
  stop(): void;
} {
  const script = join(repoRoot, "scripts/lib/demo-workload.mjs");
  const path = "meterplane-demo/app";
  const dirs = cgroupRoots().map((root) => join(root, path));
  try {
    if (!dirs.length) throw new Error("no cgroup hierarchy");
    for (const dir of dirs) {
      mkdirSync(dir, { recursive: true });
      accessSync(join(dir, "cgroup.procs"), constants.W_OK);
    }
  } catch {
    const child = spawn(process.execPath, [script], { stdio: "ignore" });
    return { child, kind: "process_tree", selector: `pid:${child.pid}`, stop: () => stop(child, []) };
  }
  // The shell joins the cgroups before exec'ing node, so every page the workload touches is charged there
  // (v1 memory does not move pages charged before a process joins).
  const joinAll = dirs.map((dir) => `echo $$ > ${dir}/cgroup.procs`).join(" && ");
  const child = spawn("sh", ["-c", `${joinAll} && exec "${process.execPath}" "${script}"`], {
    stdio: "ignore",
  });
  return { child, kind: "cgroup", selector: path, stop: () => stop(child, dirs) };
}

function cgroupRoots(): string[] {
  if (existsSync("/sys/fs/cgroup/cgroup.controllers")) return ["/sys/fs/cgroup"];
  return ["/sys/fs/cgroup/unified", "/sys/fs/cgroup/memory"].filter((dir) =>
    existsSync(join(dir, "cgroup.procs")),
  );
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
