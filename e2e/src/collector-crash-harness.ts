import { type ChildProcess, spawn } from "node:child_process";
import { existsSync, readdirSync, readFileSync } from "node:fs";
import { join } from "node:path";
import type { TestCgroup } from "@meterplane/collector/testing";
import { repoRoot } from "@meterplane/testing";

/** One JSON log line of the collector (`level`, `time`, `msg`, fields). */
export type LogLine = { msg: string; [field: string]: unknown };

export interface CollectorRun {
  child: ChildProcess;
  lines: LogLine[];
  exited: Promise<number | null>;
  /** Resolves with the first line from now on (or already seen at index ≥ `from`) that matches. */
  next(match: (line: LogLine) => boolean, what: string, timeoutMs?: number, from?: number): Promise<LogLine>;
}

/**
 * `meterplane-collector run` as a child process, its log lines parsed as they come. One process, loaded
 * with `--import tsx`: the tsx CLI runs the script in a child of its own, so a SIGKILL sent to it would
 * leave the real collector running.
 */
export function startCollector(env: Record<string, string>): CollectorRun {
  const child = spawn(process.execPath, ["--import", "tsx", "collector/src/cli.ts", "run"], {
    cwd: repoRoot,
    env: { ...process.env, ...env },
    stdio: ["ignore", "pipe", "pipe"],
  });
  const lines: LogLine[] = [];
  const waiters = new Set<() => void>();
  let partial = "";
  let stderr = "";
  child.stdout?.on("data", (chunk: Buffer) => {
    const text = partial + chunk.toString();
    const complete = text.split("\n");
    partial = complete.pop() ?? "";
    for (const line of complete) if (line.startsWith("{")) lines.push(JSON.parse(line) as LogLine);
    for (const wake of waiters) wake();
  });
  child.stderr?.on("data", (chunk: Buffer) => {
    stderr = (stderr + chunk.toString()).slice(-4000);
  });
  const exited = new Promise<number | null>((resolve) => child.once("exit", (code) => resolve(code)));
  const next: CollectorRun["next"] = (match, what, timeoutMs = 15_000, from = lines.length) =>
    new Promise((resolve, reject) => {
      const check = () => {
        const found = lines.slice(from).find(match);
        if (found) finish(() => resolve(found));
      };
      const timer = setTimeout(
        () =>
          finish(() =>
            reject(new Error(`collector: timed out waiting for ${what}; last lines:\n${tail()}\n${stderr}`)),
          ),
        timeoutMs,
      );
      const finish = (settle: () => void) => {
        clearTimeout(timer);
        waiters.delete(check);
        settle();
      };
      waiters.add(check);
      check();
    });
  const tail = () =>
    lines
      .slice(-8)
      .map((line) => JSON.stringify(line))
      .join("\n");
  return { child, lines, exited, next };
}

export const shipped = (line: LogLine) => line.msg === "batch shipped";

/** Sequences of the batch files waiting in the spool, oldest first. */
export function spooled(stateDir: string): number[] {
  const dir = join(stateDir, "spool");
  if (!existsSync(dir)) return [];
  return readdirSync(dir)
    .filter((name) => /^\d{16}\.json$/.test(name))
    .map((name) => Number(name.slice(0, 16)))
    .sort((a, b) => a - b);
}

/** The collector's last committed reading of a counter (µs for cpu), from its state file. */
export function stateCounter(stateDir: string, key: string): bigint | undefined {
  const path = join(stateDir, "state.json");
  if (!existsSync(path)) return undefined;
  const state = JSON.parse(readFileSync(path, "utf8")) as { counters: Record<string, { value: string }> };
  const value = state.counters[key]?.value;
  return value === undefined ? undefined : BigInt(value);
}

/** The kernel's own CPU counter of the cgroup: v2 `cpu.stat` usage_usec. */
export function usageUsec(cgroup: TestCgroup, v2Root: string): bigint {
  const dir = cgroup.dirs.find((candidate) => candidate.startsWith(v2Root));
  if (!dir) throw new Error("the test cgroup has no v2 directory");
  const usec = /usage_usec (\d+)/.exec(readFileSync(join(dir, "cpu.stat"), "utf8"))?.[1];
  if (usec === undefined) throw new Error("cpu.stat has no usage_usec");
  return BigInt(usec);
}

/** A process's state letter in /proc/PID/stat (`T` once a SIGSTOP took effect). */
export function processState(pid: number): string | undefined {
  const stat = readFileSync(`/proc/${pid}/stat`, "utf8");
  return stat.slice(stat.lastIndexOf(")") + 2).split(" ")[0];
}

/** True once every thread of the process is stopped: the main thread stops first, the others a moment later. */
export function threadsStopped(pid: number): boolean {
  return readdirSync(`/proc/${pid}/task`).every((tid) => processState(Number(tid)) === "T");
}

export const pause = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));

/** Like `eventually`, but probing every millisecond: for moments that last a few milliseconds. */
export async function poll<T>(probe: () => Promise<T | undefined | false>, what: string, timeoutMs = 5000) {
  for (const deadline = Date.now() + timeoutMs; Date.now() < deadline; await pause(1)) {
    const value = await probe();
    if (value !== undefined && value !== false) return value;
  }
  throw new Error(`timed out waiting for ${what}`);
}
