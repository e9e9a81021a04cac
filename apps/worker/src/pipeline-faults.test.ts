import { type RunningProcess, serviceEnv, startWeb, startWorker, useTestDatabase } from "@meterplane/testing";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import {
  aCollectorWithBatches,
  aFleetWithBatches,
  sendFleetUntilAcknowledged,
  sendUntilAcknowledged,
  settledDrift,
  startOwnRedis,
} from "./test/pipeline-harness.ts";

/**
 * The pipeline's promises under faults: every acknowledged sample ends up in the rollups exactly once,
 * checked against a reference computed from the raw rows. Runs the built web app and the real worker on a
 * redis-server of its own (this file flushes it).
 */
const t = useTestDatabase();
let redis: Awaited<ReturnType<typeof startOwnRedis>>;
let web: RunningProcess & { url: string };
let worker: RunningProcess;
const services = () => serviceEnv(t, { REDIS_URL: redis.url, METRICS_PORT: "0", AGGREGATE_GROUP_MAX: "50" });
let env: ReturnType<typeof services>;

beforeAll(async () => {
  redis = await startOwnRedis();
  env = services();
  [web, worker] = await Promise.all([startWeb(env), startWorker(env)]);
});

afterAll(async () => {
  await Promise.all([web?.stop(), worker?.stop()]);
  await redis?.stop();
});

async function storedBatches(): Promise<number> {
  const { rows } = await t.db.pool.query<{ n: number }>(`SELECT count(*)::int AS n FROM "SampleBatch"`);
  return rows[0]!.n;
}

describe("pipeline under faults", { timeout: 120_000 }, () => {
  it("lose nothing when a worker is killed mid-batch and restarted", async () => {
    const fleet = await aFleetWithBatches(t.db, { hosts: 8, batches: 15 });
    let restarting: Promise<void> | undefined;
    const acks = await sendFleetUntilAcknowledged(() => web.url, fleet, {
      onSent: (count) => {
        if (count !== 60) return;
        restarting = (async () => {
          await worker.kill();
          worker = await startWorker(env);
        })();
      },
    });
    await restarting;
    expect(acks.filter((a) => a.status === "accepted")).toHaveLength(8 * 15);
    expect(await settledDrift(t.db)).toEqual([]);
  });

  it("lose nothing when Redis is flushed mid-run", async () => {
    const fleet = await aFleetWithBatches(t.db, { hosts: 8, batches: 15 });
    const acks = await sendFleetUntilAcknowledged(() => web.url, fleet, {
      onSent: async (count) => {
        if (count === 40 || count === 80) await redis.client.flushall();
      },
    });
    expect(acks.filter((a) => a.status === "accepted")).toHaveLength(8 * 15);
    expect(await settledDrift(t.db)).toEqual([]);
  });

  it("lose nothing when the web process is killed and restarted mid-run", async () => {
    const before = await storedBatches();
    const fleet = await aFleetWithBatches(t.db, { hosts: 8, batches: 15 });
    let restarting: Promise<void> | undefined;
    const acks = await sendFleetUntilAcknowledged(() => web.url, fleet, {
      onSent: (count) => {
        if (count !== 50) return;
        restarting = (async () => {
          await web.kill();
          web = await startWeb(env);
        })();
      },
    });
    await restarting;
    // A batch committed just before the kill lost its 202 with the connection: its retry is the duplicate.
    expect(new Set(acks.map((a) => a.batchId)).size).toBe(8 * 15);
    expect((await storedBatches()) - before).toBe(8 * 15);
    expect(await settledDrift(t.db)).toEqual([]);
  });

  it("ride out a restart of Redis that comes back empty, saying so once per process", async () => {
    const fleet = await aFleetWithBatches(t.db, { hosts: 8, batches: 20 });
    let restarting: Promise<void> | undefined;
    const acks = await sendFleetUntilAcknowledged(() => web.url, fleet, {
      onSent: (count) => {
        if (count === 50) restarting = redis.restart({ downMs: 2000 });
      },
    });
    await restarting;
    expect(acks.filter((a) => a.status === "accepted")).toHaveLength(8 * 20);
    expect(await settledDrift(t.db)).toEqual([]);
    expect([web.child.exitCode, worker.child.exitCode]).toEqual([null, null]);
    for (const process of [web, worker]) {
      const said = (message: string) =>
        process
          .output()
          .split("\n")
          .filter((line) => line.includes(`"msg":"${message}"`)).length;
      expect(said("redis unreachable")).toBe(1);
      expect(said("redis reachable again")).toBe(1);
      expect(process.output()).not.toMatch(/ECONNREFUSED\n\s+at |Unhandled error event/);
    }
  });

  it("count each batch once when every batch is sent twice and out of order", async () => {
    const before = await storedBatches();
    const { credential, batches } = await aCollectorWithBatches(t.db, 80);
    const shuffled = [...batches, ...batches]
      .map((batch) => ({ batch, key: Math.random() }))
      .sort((a, b) => a.key - b.key)
      .map(({ batch }) => batch);
    const acks = await sendUntilAcknowledged(() => web.url, credential, shuffled, { parallel: 8 });
    expect(acks.filter((a) => a.status === "accepted")).toHaveLength(80);
    expect(acks.filter((a) => a.status === "duplicate")).toHaveLength(80);
    expect((await storedBatches()) - before).toBe(80);
    expect(await settledDrift(t.db)).toEqual([]);
  });
});
