import { type ChildProcess, execFileSync, spawn } from "node:child_process";
import { randomUUID } from "node:crypto";
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from "node:fs";
import { createServer } from "node:net";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { detectCgroupLayout } from "../../collector/src/cgroup/layout.ts";
import type { EnvironmentConfig } from "../../collector/src/environments/scope.ts";
import { silentLogger } from "../../collector/src/log.ts";
import { Sampler } from "../../collector/src/sampler.ts";
import { emptyState } from "../../collector/src/state.ts";

/**
 * The collector's CPU per interval for a process-tree environment of 100, 500 and 1,000 processes, with
 * every meter but transactions (which reads no /proc), beside prometheus-process-exporter scraping the
 * same processes in the same run (each scrape is one full /proc pass, like one of our ticks). CPU is the
 * process's own utime+stime (+ reaped children: `ss`), from /proc/<pid>/stat, per interval.
 */
const sizes = [100, 500, 1000];
const intervals = 20;
const ticks = Number(execFileSync("getconf", ["CLK_TCK"], { encoding: "utf8" }).trim());
const marker = "7777.5";

function cpuMs(pid: number | "self", withChildren: boolean): number {
  const text = readFileSync(`/proc/${pid}/stat`, "utf8");
  const f = text.slice(text.lastIndexOf(")") + 2).split(" ");
  const own = Number(f[11]) + Number(f[12]);
  const children = withChildren ? Number(f[13]) + Number(f[14]) : 0;
  return ((own + children) * 1000) / ticks;
}

/** Finer than clock ticks for ourselves: process.cpuUsage is in µs. */
function selfCpuMs(): number {
  const u = process.cpuUsage();
  return (u.user + u.system) / 1000 + cpuMs("self", true) - cpuMs("self", false);
}

async function freePort(): Promise<number> {
  return new Promise((resolve) => {
    const s = createServer().listen(0, "127.0.0.1", () => {
      const { port } = s.address() as { port: number };
      s.close(() => resolve(port));
    });
  });
}

function installed(command: string): boolean {
  try {
    execFileSync("sh", ["-c", `command -v ${command}`], { stdio: "ignore" });
    return true;
  } catch {
    return false;
  }
}

async function startExporter(dir: string) {
  const port = await freePort();
  const config = join(dir, "pe.yaml");
  writeFileSync(
    config,
    `process_names:\n  - name: bench\n    cmdline: ["${marker.replace(".", "\\\\.")}"]\n`,
  );
  const child = spawn(
    "prometheus-process-exporter",
    [
      `-web.listen-address`,
      `127.0.0.1:${port}`,
      "-config.path",
      config,
      "-children=true",
      "-gather-smaps=true",
      "-threads=false",
    ],
    { stdio: "ignore" },
  );
  const url = `http://127.0.0.1:${port}/metrics`;
  for (let i = 0; i < 100; i++) {
    if (
      await fetch(url).then(
        (r) => r.ok,
        () => false,
      )
    )
      break;
    await new Promise((r) => setTimeout(r, 100));
  }
  return { child, url };
}

/** Direct children of `pid`, from the kernel's own list. */
function childCount(pid: number): number {
  try {
    return readFileSync(`/proc/${pid}/task/${pid}/children`, "utf8").trim().split(/\s+/).filter(Boolean)
      .length;
  } catch {
    return 0;
  }
}

/**
 * Waits until the shell has forked all its sleeps: on a busy machine a fixed pause measured a third of
 * the tree (397 of 1,000), and the comparison was then between unequal work.
 */
async function waitForTree(pid: number, processes: number): Promise<number> {
  const deadline = Date.now() + 60_000;
  let count = 1 + childCount(pid);
  while (count < processes && Date.now() < deadline) {
    await new Promise((r) => setTimeout(r, 50));
    count = 1 + childCount(pid);
  }
  return count;
}

function metric(text: string, name: string, labels = ""): number | undefined {
  const line = text
    .split("\n")
    .find((l) => l.startsWith(`${name}{`) && l.includes('groupname="bench"') && l.includes(labels));
  return line ? Number(line.slice(line.lastIndexOf(" ") + 1)) : undefined;
}

const dir = mkdtempSync(join(tmpdir(), "mp-bench-collector-"));
const hasExporter = installed("prometheus-process-exporter");
if (!hasExporter)
  console.log(
    "prometheus-process-exporter is not installed: its column is skipped (apt-get install -y prometheus-process-exporter)",
  );
const exporter = hasExporter ? await startExporter(dir) : undefined;
const rows: Array<{ n: number; ours: number; theirs?: number; seen: number; theirSeen?: number }> = [];
let workload: ChildProcess | undefined;
try {
  for (const n of sizes) {
    workload = spawn("sh", ["-c", `for i in $(seq ${n - 1}); do sleep ${marker} & done; wait`], {
      stdio: "ignore",
      detached: true,
    });
    const started = await waitForTree(workload.pid ?? 0, n);
    if (started < n) console.log(`only ${started} of ${n} processes started within 60 s`);
    const env: EnvironmentConfig = {
      id: randomUUID(),
      kind: "process_tree",
      selector: `pid:${workload.pid}`,
      meters: [
        "cpu",
        "memory",
        "processes",
        "open_files",
        "open_resources",
        "data_throughput",
        "concurrent_users",
      ],
    };
    const sampler = new Sampler(emptyState(), detectCgroupLayout(), silentLogger);
    const t0 = 1_800_000_000;
    await sampler.sample([env], t0, 10);
    const before = selfCpuMs();
    let last: Awaited<ReturnType<Sampler["sample"]>> = [];
    for (let i = 1; i <= intervals; i++) last = await sampler.sample([env], t0 + 10 * i, 10);
    const ours = (selfCpuMs() - before) / intervals;

    let theirs: number | undefined;
    let scrape = "";
    if (exporter?.child.pid) {
      await fetch(exporter.url).then((r) => r.text());
      const start = cpuMs(exporter.child.pid, false);
      for (let i = 0; i < intervals; i++) scrape = await fetch(exporter.url).then((r) => r.text());
      theirs = (cpuMs(exporter.child.pid, false) - start) / intervals;
    }
    const value = (meter: string, kind?: string) =>
      last.find((s) => s.meter === meter && (!kind || s.dimensions?.kind === kind))?.value ?? "-";
    rows.push({
      n,
      ours,
      theirs,
      seen: Number(value("processes")),
      theirSeen: metric(scrape, "namedprocess_namegroup_num_procs"),
    });
    console.log(`\n${n} processes — side by side (collector | process-exporter):`);
    console.log(
      `  processes        ${value("processes").padStart(12)} | ${metric(scrape, "namedprocess_namegroup_num_procs") ?? "-"}`,
    );
    console.log(
      `  memory (PSS, B)  ${value("memory").padStart(12)} | ${metric(scrape, "namedprocess_namegroup_memory_bytes", 'memtype="proportionalResident"') ?? "-"}`,
    );
    console.log(
      `  memory (RSS, B)  ${"(not billed)".padStart(12)} | ${metric(scrape, "namedprocess_namegroup_memory_bytes", 'memtype="resident"') ?? "-"}`,
    );
    console.log(
      `  open descriptors ${String(["file", "socket", "pipe", "other"].reduce((sum, k) => sum + Number(value("open_resources", k)), 0)).padStart(12)} | ${metric(scrape, "namedprocess_namegroup_open_filedesc") ?? "-"}`,
    );
    console.log(
      `  cpu per interval ${`${ours.toFixed(2)} ms`.padStart(12)} | ${theirs === undefined ? "skipped" : `${theirs.toFixed(2)} ms`}`,
    );
    // The shell and its sleeps form the process group we started.
    process.kill(-(workload.pid ?? 0), "SIGKILL");
    workload = undefined;
  }
} finally {
  if (workload?.pid) process.kill(-workload.pid, "SIGKILL");
  exporter?.child.kill("SIGTERM");
  rmSync(dir, { recursive: true, force: true });
}
// A ratio only where both sides metered the same processes: otherwise they did different work.
const sameWork = (r: (typeof rows)[number]) => r.theirSeen !== undefined && r.seen === r.theirSeen;
const ratio = (r: (typeof rows)[number]) =>
  r.theirs && sameWork(r) ? (r.ours / r.theirs).toFixed(2) : "n/a";
console.log("\nCPU per interval (ms): processes | collector (saw) | process-exporter (saw) | ratio");
for (const r of rows) {
  const theirs = r.theirs === undefined ? "skipped" : `${r.theirs.toFixed(2)} (${r.theirSeen ?? "?"})`;
  const why = r.theirs !== undefined && !sameWork(r) ? "  (process counts differ: no ratio)" : "";
  console.log(
    `  ${String(r.n).padStart(5)} | ${`${r.ours.toFixed(2)} (${r.seen})`.padStart(14)} | ${theirs.padStart(14)} | ${ratio(r)}${why}`,
  );
}
console.log(
  `collector: ${rows.map((r) => `procs_${r.n}=${r.seen} pe_procs_${r.n}=${r.theirSeen ?? "skipped"} cpu_ms_${r.n}=${r.ours.toFixed(2)} pe_ms_${r.n}=${r.theirs?.toFixed(2) ?? "skipped"} ratio_${r.n}=${ratio(r)}`).join(" ")}`,
);
