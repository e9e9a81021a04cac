import { type ChildProcess, spawn } from "node:child_process";
import { connect } from "node:net";
import type { Database } from "@meterplane/db";
import { aMeteredTenant, anEnvironment, freePort } from "@meterplane/testing";
import { findRollupDrift, getPipelineBacklog } from "@meterplane/usage";
import { encodeBatch, postBatch, simulatedBatches } from "@meterplane/usage/test";
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

/** A redis-server of the test's own, so it may be flushed or killed without touching anyone else's. */
export async function startOwnRedis(): Promise<{ url: string; client: Redis; stop(): Promise<void> }> {
  const port = await freePort();
  const child: ChildProcess = spawn(
    "redis-server",
    ["--port", String(port), "--save", "", "--appendonly", "no"],
    {
      stdio: "ignore",
    },
  );
  const url = `redis://127.0.0.1:${port}`;
  for (let i = 0; !(await answers(port)); i++) {
    if (i > 50) throw new Error("redis-server did not start");
    await new Promise((r) => setTimeout(r, 100));
  }
  const client = new Redis(url);
  const exited = new Promise((resolve) => child.once("exit", resolve));
  return {
    url,
    client,
    async stop() {
      client.disconnect();
      child.kill("SIGTERM");
      await exited;
    },
  };
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
  { parallel = 4, onSent }: { parallel?: number; onSent?: (count: number) => Promise<void> | void } = {},
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
        await new Promise((r) => setTimeout(r, 100));
      }
      await onSent?.(++sent);
    }
  }
  await Promise.all(Array.from({ length: parallel }, lane));
  return acks;
}

/** Waits until every stored batch is aggregated, then returns the rollups' drift from the raw rows. */
export async function settledDrift(db: Database, timeoutMs = 90_000) {
  const deadline = Date.now() + timeoutMs;
  while ((await getPipelineBacklog({ db })).batches > 0) {
    if (Date.now() > deadline) throw new Error("aggregation did not catch up");
    await new Promise((r) => setTimeout(r, 250));
  }
  return [
    ...(await findRollupDrift({ db, granularity: "hour" })),
    ...(await findRollupDrift({ db, granularity: "day" })),
  ];
}
