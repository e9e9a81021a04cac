import { connectDatabase, type Database } from "@meterplane/db";
import { createScratchDatabase } from "@meterplane/db/migrations";
import { type RunningProcess, startWeb, startWorker, uniqueQueuePrefix } from "@meterplane/testing";
import type { PostedBatch } from "@meterplane/usage/test";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import {
  aFleetWithBatches,
  sendFleetUntilAcknowledged,
  settledDrift,
  startOwnPostgres,
  startOwnRedis,
  storedBatchCounts,
} from "./test/pipeline-harness.ts";

/**
 * Postgres stopped as a crash stops it (`-m immediate`) and started again while a fleet sends: on a
 * Postgres server and a redis-server of this file's own, since the machine's are shared.
 */
let postgres: Awaited<ReturnType<typeof startOwnPostgres>>;
let redis: Awaited<ReturnType<typeof startOwnRedis>>;
let scratch: { url: string; drop(): Promise<void> };
let db: Database;
let web: RunningProcess & { url: string };
let worker: RunningProcess;

beforeAll(async () => {
  [postgres, redis] = await Promise.all([startOwnPostgres(), startOwnRedis()]);
  scratch = await createScratchDatabase(postgres.url);
  db = connectDatabase(scratch.url);
  const env = {
    DATABASE_URL: scratch.url,
    REDIS_URL: redis.url,
    MP_QUEUE_PREFIX: uniqueQueuePrefix(),
    METRICS_PORT: "0",
  };
  [web, worker] = await Promise.all([startWeb(env), startWorker(env)]);
}, 60_000);

afterAll(async () => {
  await Promise.all([web?.stop(), worker?.stop()]);
  await db?.close();
  await redis?.stop();
  await postgres?.stop();
});

const lines = (output: string, message: string) =>
  output.split("\n").filter((line) => line.includes(`"msg":"${message}"`)).length;

describe("pipeline through a Postgres restart", () => {
  it("answer 503 with Retry-After while Postgres is down, keep both processes up, and lose or double nothing", async () => {
    const fleet = await aFleetWithBatches(db, { hosts: 12, batches: 25 });
    const refused: PostedBatch[] = [];
    let restarting: Promise<void> | undefined;
    const acks = await sendFleetUntilAcknowledged(() => web.url, fleet, {
      onRefused: (posted) => refused.push(posted),
      onSent: (count) => {
        if (count === 100) restarting = postgres.restart({ downMs: 3000 });
      },
    });
    await restarting;

    // A batch stored just as the connection was cut may be answered `duplicate` when its collector retries.
    expect(new Set(acks.map((a) => a.batchId)).size).toBe(12 * 25);
    expect(refused.filter((r) => r.status === 503).length).toBeGreaterThan(0);
    for (const r of refused) expect(r).toMatchObject({ status: 503, retryAfter: "5" });
    expect(await settledDrift(db)).toEqual([]);
    expect(await storedBatchCounts(db)).toEqual({ batches: 12 * 25, keys: 12 * 25 });

    // Both processes rode it out, each saying so once when it began and once when it ended.
    expect([web.child.exitCode, worker.child.exitCode]).toEqual([null, null]);
    for (const process of [web, worker]) {
      expect(lines(process.output(), "postgres unreachable")).toBe(1);
      expect(lines(process.output(), "postgres reachable again")).toBe(1);
      expect(process.output()).not.toMatch(/unhandled API error|at .*\(node:|Unhandled error event/);
    }
  }, 120_000);
});
