import type { Queue } from "bullmq";
import type { AggregateJob } from "./queues.ts";

type BatchRef = AggregateJob["batches"][number];

/**
 * Puts the batches one process stores into aggregate jobs a few at a time instead of one job each: a
 * BullMQ job costs Redis round trips to add, take and complete, which at hundreds of batches a second was
 * more CPU than aggregating them. A batch waits at most `delayMs` for its job; being durable in Postgres
 * already, one whose job is lost (Redis away, the process killed) is found again by the sweeper.
 */
export function createBatchedEnqueue(
  queue: Queue<AggregateJob>,
  {
    delayMs = 10,
    maxBatches = 200,
    onError,
  }: { delayMs?: number; maxBatches?: number; onError: (error: Error, batches: BatchRef[]) => void },
): { add(batch: BatchRef): void; flush(): Promise<void> } {
  let pending: BatchRef[] = [];
  let timer: NodeJS.Timeout | undefined;

  function flush(): Promise<void> {
    clearTimeout(timer);
    timer = undefined;
    const batches = pending;
    pending = [];
    if (!batches.length) return Promise.resolve();
    return queue.add("aggregate", { batches }).then(
      () => undefined,
      (error: Error) => onError(error, batches),
    );
  }

  return {
    add(batch) {
      pending.push(batch);
      if (pending.length >= maxBatches) void flush();
      else timer ??= setTimeout(flush, delayMs);
    },
    flush,
  };
}
