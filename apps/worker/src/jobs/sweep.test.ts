import { type AggregateJob, createAggregateQueue, createRedis } from "@meterplane/queue";
import { aMeteredTenant, redisUrl, uniqueQueuePrefix, useTestDatabase } from "@meterplane/testing";
import { type AcceptedBatch, acceptBatch } from "@meterplane/usage";
import { simulatedBatches } from "@meterplane/usage/test";
import type { Queue } from "bullmq";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { sweepLostBatches } from "./sweep.ts";

const t = useTestDatabase();
const redis = createRedis(redisUrl(), { blocking: true });
let queue: Queue<AggregateJob>;
beforeAll(() => {
  process.env.MP_QUEUE_PREFIX = uniqueQueuePrefix();
  queue = createAggregateQueue(redis);
});
afterAll(async () => {
  await queue.obliterate({ force: true });
  await queue.close();
  redis.disconnect();
});

const queuedBatchIds = async () =>
  (await queue.getJobs(["waiting"])).flatMap((job) => job.data.batches.map((b) => b.batchId)).sort();

describe("the sweeper", () => {
  it("re-enqueue only the stored batches that no waiting or active job names", async () => {
    const { host, environment } = await aMeteredTenant(t.db);
    const refs: AcceptedBatch[] = [];
    for (const batch of simulatedBatches({
      environmentIds: [environment.id],
      batches: 4,
      from: new Date(Date.now() - 3600_000),
    }))
      refs.push(await acceptBatch({ db: t.db, hostId: host.id, batch }));
    const ref = (i: number) => ({ batchId: refs[i]!.batchId, receivedAt: refs[i]!.receivedAt.toISOString() });
    // Batches 0 and 1 wait in a job of their own; the jobs of 2 and 3 were lost.
    await queue.add("aggregate", { batches: [ref(0), ref(1)] });

    expect(await sweepLostBatches({ db: t.db, queue, olderThanMs: 0 })).toBe(2);
    expect(await queuedBatchIds()).toEqual([0, 1, 2, 3].map((i) => refs[i]!.batchId).sort());
    // A second sweep finds every batch in a live job and adds nothing.
    expect(await sweepLostBatches({ db: t.db, queue, olderThanMs: 0 })).toBe(0);
    expect(await queue.getJobCounts("waiting")).toEqual({ waiting: 2 });
  });
});
