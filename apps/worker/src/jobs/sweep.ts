import { aggregateJobId, createAggregateQueue } from "@meterplane/queue";
import { findUnaggregatedBatches } from "@meterplane/usage";
import { Counter } from "prom-client";
import { every, type WorkerJob } from "./job.ts";

/**
 * Re-enqueues batches that Postgres holds but nobody aggregated: their job was lost with Redis, or failed
 * for good. Job ids carry the sweep's time so an old failed job of the same batch cannot block the new one;
 * a batch enqueued twice is harmless (aggregation skips what is already aggregated).
 */
const sweepJobBatches = 100;

export const sweepJob: WorkerJob = {
  name: "sweep",
  start({ env, db, producer, log, metrics }) {
    const swept = new Counter({
      name: "mp_swept_batches_total",
      help: "Stored batches re-enqueued because their job was missing",
      registers: [metrics],
    });
    const queue = createAggregateQueue(producer);
    const periodic = every("sweep", env.SWEEP_EVERY_MS, log, async () => {
      const batches = await findUnaggregatedBatches({ db, olderThanMs: env.SWEEP_AFTER_MS });
      if (!batches.length) return;
      const sweep = Date.now();
      const refs = batches.map((b) => ({
        batchId: b.batchId,
        receivedAt: new Date(b.receivedAt).toISOString(),
      }));
      const jobs = [];
      for (let i = 0; i < refs.length; i += sweepJobBatches) {
        const chunk = refs.slice(i, i + sweepJobBatches);
        jobs.push({
          name: "aggregate",
          data: { batches: chunk },
          opts: { jobId: `sweep-${sweep}-${aggregateJobId(chunk)}` },
        });
      }
      await queue.addBulk(jobs);
      swept.inc(batches.length);
      log.info({ count: batches.length }, "re-enqueued unaggregated batches");
    });
    return {
      async close() {
        await periodic.close();
        await queue.close();
      },
    };
  },
};
