import { type ChildProcess, spawn } from "node:child_process";
import { join } from "node:path";
import type { LogLine } from "./collector-crash-harness.ts";

export interface Supervised {
  /** Every log line of every generation, each tagged with the generation (0, 1, …) that wrote it. */
  lines: (LogLine & { generation: number })[];
  exits: (number | null)[];
  next(match: (line: LogLine) => boolean, what: string, timeoutMs?: number): Promise<LogLine>;
  stop(): Promise<void>;
}

/**
 * What the systemd unit does for an installed collector, on this machine (no systemd here): run
 * `<installDir>/current/bin/meterplane-collector run`, and whenever it exits, start whatever `current` points
 * at then (Restart=always, RestartSec short, or `restartDelayMs` for a slow restart), until stopped.
 */
export function superviseCollector(
  installDir: string,
  env: Record<string, string>,
  { restartDelayMs = 200 }: { restartDelayMs?: number } = {},
): Supervised {
  const lines: Supervised["lines"] = [];
  const exits: (number | null)[] = [];
  const waiters = new Set<() => void>();
  let child: ChildProcess | undefined;
  let stopping = false;
  let generation = -1;
  let stderr = "";

  const start = () => {
    generation += 1;
    const mine = generation;
    const process_ = spawn(join(installDir, "current", "bin", "meterplane-collector"), ["run"], {
      env: { ...process.env, ...env, METERPLANE_INSTALL_DIR: installDir },
      stdio: ["ignore", "pipe", "pipe"],
    });
    child = process_;
    let partial = "";
    process_.stdout?.on("data", (chunk: Buffer) => {
      const text = partial + chunk.toString();
      const complete = text.split("\n");
      partial = complete.pop() ?? "";
      for (const line of complete)
        if (line.startsWith("{")) lines.push({ ...(JSON.parse(line) as LogLine), generation: mine });
      for (const wake of waiters) wake();
    });
    process_.stderr?.on("data", (chunk: Buffer) => {
      stderr = (stderr + chunk.toString()).slice(-4000);
    });
    process_.once("exit", (code) => {
      exits.push(code);
      if (!stopping) setTimeout(start, restartDelayMs);
    });
  };
  start();

  const next: Supervised["next"] = (match, what, timeoutMs = 60_000) =>
    new Promise((resolve, reject) => {
      const check = () => {
        const found = lines.find(match);
        if (found) finish(() => resolve(found));
      };
      const timer = setTimeout(
        () =>
          finish(() =>
            reject(
              new Error(
                `supervised collector: timed out waiting for ${what}; last lines:\n${lines
                  .slice(-10)
                  .map((line) => JSON.stringify(line))
                  .join("\n")}\n${stderr}`,
              ),
            ),
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

  const stop = async () => {
    stopping = true;
    const running = child;
    if (!running || running.exitCode !== null || running.signalCode !== null) return;
    const exited = new Promise((resolve) => running.once("exit", resolve));
    running.kill("SIGTERM");
    await exited;
  };
  return { lines, exits, next, stop };
}
