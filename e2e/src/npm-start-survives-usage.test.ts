import { type ChildProcess, spawn } from "node:child_process";
import { mkdtempSync, readdirSync, readFileSync, rmSync } from "node:fs";
import { createServer } from "node:net";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { createUser, logIn } from "@meterplane/access";
import { systemActor } from "@meterplane/db";
import {
  aMeteredTenant,
  eventually,
  freePort,
  redisUrl,
  repoRoot,
  uniqueQueuePrefix,
  useTestDatabase,
} from "@meterplane/testing";
import { widestRangeDays } from "@meterplane/usage";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { aCpuBatch } from "./batches.ts";

/**
 * Issue 16's acceptance, against the real `npm start` (scripts/start.ts supervising web, ingest, worker and
 * the demo collector) on a scratch database and ports of its own: the request that once exhausted the web
 * process's heap answers a bounded page, ingest keeps answering 202, a web process that dies as a heap
 * death kills it (SIGABRT) is named and restarted while ingest answers, and SIGTERM stops every child.
 * Every wait is a polled condition with a generous bound: the machine running it may be loaded.
 */
const t = useTestDatabase();
const minutes = (n: number) => n * 60_000;
let start: ChildProcess;
let output = "";
let portal: string;
let ingest: string;
let viewerCookie: string;
let collector: { credential: string; environmentId: string; hostId: string };
let sequence = 0;
let stateDir: string;

/** Two free consecutive ports: `npm start` puts ingest on PORT + 1. */
async function freePortPair(): Promise<number> {
  const listens = (port: number) =>
    new Promise<boolean>((resolve) => {
      const server = createServer();
      server.once("error", () => resolve(false));
      server.listen(port, "0.0.0.0", () => server.close(() => resolve(true)));
    });
  for (;;) {
    const port = await freePort();
    if (port < 65_535 && (await listens(port)) && (await listens(port + 1))) return port;
  }
}

/** Every process seen under `npm start`, so that a failed test can stop what is left of the tree. */
const seen = new Map<number, string>();

/** Every live process under `root` (npm → node start.ts → its children), from /proc. */
function descendants(root: number): { pid: number; cmdline: string }[] {
  const parentOf = new Map<number, number>();
  for (const entry of readdirSync("/proc")) {
    if (!/^\d+$/.test(entry)) continue;
    try {
      const stat = readFileSync(`/proc/${entry}/stat`, "utf8");
      // The second field is `(comm)`, which may hold spaces: the parent pid is the 2nd field after it.
      parentOf.set(Number(entry), Number(stat.slice(stat.lastIndexOf(")") + 2).split(" ")[1]));
    } catch {
      // Gone while we read.
    }
  }
  const found: { pid: number; cmdline: string }[] = [];
  const walk = (parent: number) => {
    for (const [pid, ppid] of parentOf) {
      if (ppid !== parent) continue;
      let cmdline = "";
      try {
        cmdline = readFileSync(`/proc/${pid}/cmdline`, "utf8").replaceAll("\0", " ");
      } catch {
        continue;
      }
      found.push({ pid, cmdline });
      seen.set(pid, cmdline);
      walk(pid);
    }
  };
  walk(root);
  return found;
}

const alive = (pid: number) => {
  try {
    // A zombie still has /proc/<pid>; its state is Z.
    return !/^\S+ \(.*\) Z/.test(readFileSync(`/proc/${pid}/stat`, "utf8"));
  } catch {
    return false;
  }
};

const webPid = () =>
  descendants(start.pid!).find(
    (p) =>
      p.cmdline.includes(`server.mjs -p ${new URL(portal).port}`) && !p.cmdline.includes("--ingest-only"),
  )?.pid;

const postBatch = () =>
  fetch(`${ingest}/api/v1/ingest`, {
    method: "POST",
    headers: { "content-type": "application/json", authorization: `Bearer ${collector.credential}` },
    body: aCpuBatch({ environmentId: collector.environmentId, sequence: ++sequence }),
    signal: AbortSignal.timeout(30_000),
  }).then((r) => r.status);

const healthy = (url: string) =>
  fetch(`${url}/api/health`, { signal: AbortSignal.timeout(10_000) }).then(
    (r) => r.ok,
    () => false,
  );

beforeAll(async () => {
  const port = await freePortPair();
  portal = `http://127.0.0.1:${port}`;
  ingest = `http://127.0.0.1:${port + 1}`;
  stateDir = mkdtempSync(join(tmpdir(), "mp-npm-start-"));
  const { credential, environment, host } = await aMeteredTenant(t.db);
  collector = { credential, environmentId: environment.id, hostId: host.id };
  const viewer = { email: "viewer@npm-start.test", password: "npm-start-viewer-1" };
  await createUser({ db: t.db, actor: systemActor, ...viewer, name: "Viewer", operatorRole: "viewer" });
  viewerCookie = `mp_session=${(await logIn({ db: t.db, ...viewer })).token}`;

  start = spawn("npm", ["start"], {
    cwd: repoRoot,
    env: {
      ...process.env,
      DATABASE_URL: t.url,
      REDIS_URL: redisUrl(),
      MP_QUEUE_PREFIX: uniqueQueuePrefix(),
      PORT: String(port),
      METRICS_PORT: "0",
      METERPLANE_STATE_DIR: stateDir,
      // `npm test` built the web app before the tests; building again here would rewrite the build other
      // test files are serving.
      MP_REUSE_WEB_BUILD: "1",
    },
    stdio: ["ignore", "pipe", "pipe"],
  });
  const keep = (chunk: Buffer) => {
    output = (output + chunk.toString()).slice(-50_000);
  };
  start.stdout?.on("data", keep);
  start.stderr?.on("data", keep);
  await eventually(
    async () => {
      if (start.exitCode !== null || start.signalCode !== null)
        throw new Error(`npm start exited early:\n${output}`);
      return output.includes("Ctrl-C stops everything") && (await healthy(portal));
    },
    "npm start to start everything",
    minutes(6),
  ).catch((error: Error) => {
    throw new Error(`${error.message}\n${output}`);
  });
}, minutes(7));

afterAll(async () => {
  // A failed test must not leave the tree running: stop what is left of it (the same pid running the same
  // command line, so a reused pid is left alone).
  if (start && start.exitCode === null && start.signalCode === null) {
    descendants(start.pid!);
    start.kill("SIGTERM");
  }
  const leftOver = () =>
    [...seen].filter(([pid, cmdline]) => {
      try {
        return alive(pid) && readFileSync(`/proc/${pid}/cmdline`, "utf8").replaceAll("\0", " ") === cmdline;
      } catch {
        return false;
      }
    });
  await eventually(async () => leftOver().length === 0, "npm start's children to stop", 30_000).catch(
    () => undefined,
  );
  for (const [pid] of leftOver()) process.kill(pid, "SIGKILL");
  if (stateDir) rmSync(stateDir, { recursive: true, force: true });
}, minutes(2));

describe("npm start, asked for fifty years of usage", () => {
  it(
    "answers the request with a bounded page and keeps ingest answering 202",
    async () => {
      const pid = webPid();
      expect(pid).toBeDefined();
      const day = (at: number) => new Date(at).toISOString().slice(0, 10);
      const widest = `/usage?range=custom&from=${day(Date.now() - (widestRangeDays - 1) * 86_400_000)}&to=${day(Date.now())}`;
      for (const [path, says] of [
        ["/usage?from=1976-12-05&to=2026-12-05", `at most ${widestRangeDays} days`],
        [widest, "per month"],
      ] as const) {
        const response = await fetch(`${portal}${path}`, {
          headers: { cookie: viewerCookie },
          redirect: "manual",
          signal: AbortSignal.timeout(minutes(2)),
        });
        // React separates text it interpolates with comments: read the text as a person would.
        const html = (await response.text()).replaceAll("<!-- -->", "");
        // A clean refusal, or a page whose size does not grow with the range.
        if (response.status >= 400) expect(response.status, path).toBeLessThan(500);
        else {
          expect(response.status, path).toBe(200);
          expect(html, path).toContain(says);
          expect(html.length, path).toBeLessThan(2_000_000);
        }
      }
      expect(webPid(), "the same web process still serves").toBe(pid);
      expect(await healthy(portal)).toBe(true);
      expect(await postBatch()).toBe(202);
    },
    minutes(5),
  );

  it(
    "restarts a web process that dies as a heap death kills it, saying so, while ingest answers 202",
    async () => {
      const pid = webPid()!;
      expect(pid).toBeDefined();
      process.kill(pid, "SIGABRT");
      await eventually(async () => !alive(pid), "the web process to die", minutes(1));
      // The portal is down; collectors' batches are still acknowledged.
      expect(await postBatch()).toBe(202);
      await eventually(
        async () => output.includes("web exited (SIGABRT); restarting"),
        "the supervisor to say the web process died",
        minutes(1),
      );
      await eventually(
        async () => {
          const restarted = webPid();
          return restarted !== undefined && restarted !== pid && (await healthy(portal));
        },
        "the web process to be restarted and answer",
        minutes(5),
      );
      expect(await postBatch()).toBe(202);
      // Every batch acknowledged is stored.
      expect(await t.db.prisma.batchKey.count({ where: { hostId: collector.hostId } })).toBe(sequence);
    },
    minutes(8),
  );

  it(
    "stops every child on SIGTERM",
    async () => {
      const children = descendants(start.pid!);
      for (const name of [
        "server.mjs -p",
        "--ingest-only",
        "apps/worker/src/main.ts",
        "collector/src/cli.ts",
      ])
        expect(
          children.some((p) => p.cmdline.includes(name)),
          `${name} runs`,
        ).toBe(true);
      start.kill("SIGTERM");
      await eventually(
        async () => start.exitCode !== null || start.signalCode !== null,
        "npm start to exit",
        minutes(2),
      );
      await eventually(
        async () => children.every((p) => !alive(p.pid)),
        "every child to exit",
        minutes(1),
      ).catch(() => {
        throw new Error(
          `still running: ${children
            .filter((p) => alive(p.pid))
            .map((p) => p.cmdline)
            .join("; ")}\n${output}`,
        );
      });
    },
    minutes(4),
  );
});
