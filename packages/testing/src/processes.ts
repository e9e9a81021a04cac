import { type ChildProcess, spawn } from "node:child_process";
import { createServer } from "node:net";
import { fileURLToPath } from "node:url";
import { redisUrl, uniqueQueuePrefix } from "./database.ts";

export const repoRoot = fileURLToPath(new URL("../../..", import.meta.url));

export function freePort(): Promise<number> {
  return new Promise((resolve, reject) => {
    const server = createServer();
    server.once("error", reject);
    server.listen(0, "127.0.0.1", () => {
      const { port } = server.address() as { port: number };
      server.close(() => resolve(port));
    });
  });
}

export interface RunningProcess {
  child: ChildProcess;
  output: () => string;
  /** SIGTERM and wait; SIGKILL after 10 s. */
  stop(): Promise<void>;
  /** SIGKILL, as a crash would. */
  kill(): Promise<void>;
}

function run(command: string, args: string[], env: Record<string, string>, cwd = repoRoot): RunningProcess {
  const child = spawn(command, args, {
    cwd,
    env: { ...process.env, ...env },
    stdio: ["ignore", "pipe", "pipe"],
  });
  let output = "";
  const keep = (chunk: Buffer) => {
    output = (output + chunk.toString()).slice(-20_000);
  };
  child.stdout?.on("data", keep);
  child.stderr?.on("data", keep);
  const exited = new Promise<void>((resolve) => child.once("exit", () => resolve()));
  const signal = async (sig: NodeJS.Signals) => {
    if (child.exitCode !== null || child.signalCode !== null) return;
    child.kill(sig);
    const timer = setTimeout(() => child.kill("SIGKILL"), 10_000);
    await exited;
    clearTimeout(timer);
  };
  return { child, output: () => output, stop: () => signal("SIGTERM"), kill: () => signal("SIGKILL") };
}

/**
 * Readiness is a condition polled every 200 ms, so the bound only matters when a process never comes up: it
 * is generous (3 min) because a shared, loaded machine once took longer than 30 s to start the web app.
 */
async function waitFor(
  check: () => Promise<boolean>,
  what: string,
  process: RunningProcess,
  timeoutMs = 180_000,
) {
  const deadline = Date.now() + timeoutMs;
  while (Date.now() < deadline) {
    if (process.child.exitCode !== null) throw new Error(`${what} exited early:\n${process.output()}`);
    if (await check().catch(() => false)) return;
    await new Promise((r) => setTimeout(r, 200));
  }
  // The caller never gets hold of a process that did not start: stop it here rather than leave it running.
  await process.kill();
  throw new Error(`${what} did not become ready in ${timeoutMs} ms:\n${process.output()}`);
}

export interface ServiceEnv {
  DATABASE_URL: string;
  REDIS_URL: string;
  MP_QUEUE_PREFIX: string;
  [name: string]: string;
}

/**
 * What the web app and worker of one test file need: its own database, the shared Redis, and a BullMQ
 * prefix of its own; `extra` adds or overrides variables.
 */
export function serviceEnv(database: { url: string }, extra: Record<string, string> = {}): ServiceEnv {
  return {
    DATABASE_URL: database.url,
    REDIS_URL: redisUrl(),
    MP_QUEUE_PREFIX: uniqueQueuePrefix(),
    ...extra,
  };
}

/**
 * The built web app (`next build` ran before the tests) behind its server (apps/web/server.mjs), ready when
 * /api/health answers. On a free port unless one is given: a test that restarts the server under a client
 * holding its URL passes the old port.
 */
export async function startWeb(
  env: ServiceEnv,
  options: { port?: number } = {},
): Promise<RunningProcess & { url: string }> {
  const port = options.port ?? (await freePort());
  const web = run(
    process.execPath,
    ["server.mjs", "-p", String(port), "-H", "127.0.0.1"],
    { NEXT_TELEMETRY_DISABLED: "1", ...env },
    `${repoRoot}apps/web`,
  );
  const url = `http://127.0.0.1:${port}`;
  // Next's start-up takes tens of seconds of CPU when the machine's two cores are shared with other suites:
  // waitFor's bound (3 min) allows for it.
  await waitFor(async () => (await fetch(`${url}/api/health`)).ok, "web", web);
  return { ...web, url };
}

/**
 * Ingest as its own process (`server.mjs --ingest-only`), as `npm start` runs it: never loads Next, passes
 * other requests to the portal at `upstream`. Ready when it listens.
 */
export async function startIngest(
  env: ServiceEnv,
  upstream: string,
): Promise<RunningProcess & { url: string }> {
  const port = await freePort();
  const ingest = run(
    process.execPath,
    ["server.mjs", "-p", String(port), "-H", "127.0.0.1", "--ingest-only", "--upstream", upstream],
    env,
    `${repoRoot}apps/web`,
  );
  const url = `http://127.0.0.1:${port}`;
  await waitFor(async () => (await fetch(`${url}/api/v1/ingest`)).status === 405, "ingest", ingest);
  return { ...ingest, url };
}

export async function startWorker(env: ServiceEnv): Promise<RunningProcess> {
  // `--import tsx` keeps the worker in this one process (the tsx CLI would fork a child), so kill() really kills it.
  const worker = run(process.execPath, ["--import", "tsx", "apps/worker/src/main.ts"], {
    SWEEP_EVERY_MS: "500",
    SWEEP_AFTER_MS: "1000",
    // Under a loaded test machine groups take seconds, and the fold window they then wait for would make every test
    // wait for its rollups that long; tests of the window itself set it.
    AGGREGATE_FOLD_WINDOW_MS: "2000",
    // Parallel test files each run workers: no fixed metrics port to fight over.
    METRICS_PORT: "0",
    ...env,
  });
  await waitFor(async () => worker.output().includes("worker started"), "worker", worker);
  return worker;
}

export async function eventually<T>(
  probe: () => Promise<T | undefined | false>,
  what: string,
  timeoutMs = 30_000,
): Promise<T> {
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    const value = await probe();
    if (value) return value;
    if (Date.now() > deadline) throw new Error(`timed out waiting for ${what}`);
    await new Promise((r) => setTimeout(r, 250));
  }
}
