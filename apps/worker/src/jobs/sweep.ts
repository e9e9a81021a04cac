import type { Database } from "@meterplane/db";
import { type AggregateJob, aggregateJobId, createAggregateQueue, logQueueErrors } from "@meterplane/queue";
import { findUnaggregatedBatches } from "@meterplane/usage";
import type { Job, Queue } from "bullmq";
import { Counter } from "prom-client";
import { every, type WorkerJob } from "./job.ts";

const sweepJobBatches = 100;
/** The states in which a job still will aggregate its batches. */
const liveStates = ["waiting", "active", "delayed", "prioritized", "waiting-children"] as const;
/**
 * Past this many live jobs the sweep waits: reading them all would cost Redis more than the sweep is worth,
 * and a queue that long is busy with its backlog; batches whose job was lost are found once it is shorter.
 */
const maxLiveJobs = 5000;

/**
 * Enqueues the batches Postgres holds unaggregated (for longer than `olderThanMs`) that no live job names;
 * returns how many.
 */
export async function sweepLostBatches({
  db,
  queue,
  olderThanMs,
}: {
  db: Database;
  queue: Queue<AggregateJob>;
  olderThanMs: number;
}): Promise<number> {
  const counts = await queue.getJobCounts(...liveStates);
  if (Object.values(counts).reduce((a, b) => a + b, 0) > maxLiveJobs) return 0;
  // Jobs first, then batches: a batch whose job completes in between is aggregated and not found.
  const jobs: (Job<AggregateJob> | undefined)[] = await queue.getJobs([...liveStates], 0, maxLiveJobs);
  const queued = new Set(jobs.flatMap((job) => job?.data?.batches?.map((b) => b.batchId) ?? []));
  const lost = (await findUnaggregatedBatches({ db, olderThanMs })).filter((b) => !queued.has(b.batchId));
  if (!lost.length) return 0;
  const sweep = Date.now();
  const refs = lost.map((b) => ({
    batchId: b.batchId,
    receivedAt: new Date(b.receivedAt).toISOString(),
    hostId: b.hostId,
  }));
  const added = [];
  for (let i = 0; i < refs.length; i += sweepJobBatches) {
    const chunk = refs.slice(i, i + sweepJobBatches);
    added.push({
      name: "aggregate",
      data: { batches: chunk },
      opts: { jobId: `sweep-${sweep}-${aggregateJobId(chunk)}` },
    });
  }
  await queue.addBulk(added);
  return lost.length;
}

/**
 * Re-enqueues batches that Postgres holds unaggregated and no live job names: their job was lost with
 * Redis, never made it there (a web process died first), or failed for good. A batch merely waiting in
 * the queue is left alone, so a backlog is never enqueued twice. Job ids carry the sweep's time so an old
 * failed job of the same batches cannot block the new one; a batch enqueued twice anyway (it raced a job
 * between the two reads) is harmless: aggregation skips what is already aggregated.
 */
export const sweepJob: WorkerJob = {
  name: "sweep",
  start(context) {
    const { env, db, producer, log, metrics, redisOutage } = context;
    const swept = new Counter({
      name: "mp_swept_batches_total",
      help: "Stored batches re-enqueued because no live job named them",
      registers: [metrics],
    });
    const queue = createAggregateQueue(producer);
    logQueueErrors(queue, { log, outage: redisOutage, what: "sweep queue" });
    const periodic = every("sweep", env.SWEEP_EVERY_MS, context, async () => {
      const count = await sweepLostBatches({ db, queue, olderThanMs: env.SWEEP_AFTER_MS });
      if (!count) return;
      swept.inc(count);
      log.info({ count }, "re-enqueued batches whose job was lost");
    });
    return {
      async close() {
        await periodic.close();
        await queue.close();
      },
    };
  },
};
