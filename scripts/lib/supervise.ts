import { type ChildProcess, spawn } from "node:child_process";

export interface SupervisedChild {
  name: string;
  command: string;
  args: string[];
  env: NodeJS.ProcessEnv;
  cwd: string;
}

/** Restart delays: doubling from 1 s to 30 s, back to 1 s once a child has stayed up a minute. */
const firstDelayMs = 1000;
const maxDelayMs = 30_000;
const stableAfterMs = 60_000;

/**
 * Runs children and restarts one that dies (with backoff), saying so in one line, until `stop()`: a web
 * process killed by the kernel or by V8 (out of heap → SIGABRT) comes back instead of leaving collectors'
 * batches refused until someone notices. `stop()` sends SIGTERM and resolves when every child has exited,
 * whether it exited by itself, by a signal, or is still running.
 */
export function supervise(say: (line: string) => void, options: { firstDelayMs?: number } = {}) {
  const firstDelay = options.firstDelayMs ?? firstDelayMs;
  const running = new Map<string, ChildProcess>();
  const timers = new Set<NodeJS.Timeout>();
  let stopping = false;

  function launch(spec: SupervisedChild, delayMs: number) {
    const child = spawn(spec.command, spec.args, {
      cwd: spec.cwd,
      env: spec.env,
      stdio: ["ignore", "pipe", "pipe"],
    });
    const startedAt = Date.now();
    const prefix = (chunk: Buffer) =>
      chunk
        .toString()
        .split("\n")
        .filter(Boolean)
        .map((line) => `[${spec.name}] ${line}\n`)
        .join("");
    child.stdout?.on("data", (chunk: Buffer) => process.stdout.write(prefix(chunk)));
    child.stderr?.on("data", (chunk: Buffer) => process.stderr.write(prefix(chunk)));
    child.once("error", (error) => say(`${spec.name} could not start: ${error.message}`));
    child.once("exit", (code, signal) => {
      if (stopping) return say(`${spec.name} exited (${signal ?? code})`);
      const next = Date.now() - startedAt >= stableAfterMs ? firstDelay : delayMs;
      say(`${spec.name} exited (${signal ?? `code ${code}`}); restarting in ${next / 1000} s`);
      const timer = setTimeout(() => {
        timers.delete(timer);
        if (!stopping) launch(spec, Math.min(next * 2, maxDelayMs));
      }, next);
      timers.add(timer);
    });
    running.set(spec.name, child);
  }

  return {
    start(spec: SupervisedChild) {
      launch(spec, firstDelay);
    },
    /** SIGTERM to every child (last started first) and wait for all of them to be gone. */
    async stop() {
      stopping = true;
      for (const timer of timers) clearTimeout(timer);
      const children = [...running.values()].reverse();
      // A child that already exited (exitCode, or signalCode when a signal ended it) emits no more `exit`.
      const alive = children.filter((child) => child.exitCode === null && child.signalCode === null);
      const exited = alive.map((child) => new Promise((resolve) => child.once("exit", resolve)));
      for (const child of alive) child.kill("SIGTERM");
      const hung = setTimeout(() => {
        for (const child of alive) child.kill("SIGKILL");
      }, 10_000);
      await Promise.all(exited);
      clearTimeout(hung);
    },
    pidOf(name: string): number | undefined {
      return running.get(name)?.pid;
    },
  };
}
