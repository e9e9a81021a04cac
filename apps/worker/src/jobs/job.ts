import type { Logger, OutageLog } from "@meterplane/core";
import type { Database } from "@meterplane/db";
import type { Redis } from "ioredis";
import type { Registry } from "prom-client";
import type { AggregationLag } from "../aggregation-lag.ts";
import type { WorkerEnv } from "../env.ts";

/** What every job of the worker gets: one database pool, Redis connections, the log and the metrics. */
export interface WorkerContext {
  env: WorkerEnv;
  db: Database;
  /** For BullMQ workers (blocking commands). */
  connection: Redis;
  /** For producers (queues that add jobs). */
  producer: Redis;
  log: Logger;
  /** The process's one record of Redis outages, shared by its connections, queues and workers. */
  redisOutage: OutageLog;
  /**
   * Whether an error only says Postgres or Redis is away (recorded in their outage logs, which say so once):
   * such failures are retried without a log line each.
   */
  isOutage(error: unknown): boolean;
  metrics: Registry;
  /** Kept by the aggregate job, read by jobs that should give way while aggregation is behind. */
  aggregationLag: AggregationLag;
}

export interface RunningJob {
  /** Stops taking work and waits for what is in hand. */
  close(): Promise<void>;
}

/** One entry of main.ts's list: a queue consumer or a periodic task. */
export interface WorkerJob {
  name: string;
  start(context: WorkerContext): RunningJob;
}

/**
 * Runs `task` every `ms`, never two at once; a failure is logged and the next tick tries again. A failure
 * because Postgres or Redis is away is not: their outage logs say so once.
 */
export function every(
  name: string,
  ms: number,
  { log, isOutage }: Pick<WorkerContext, "log" | "isOutage">,
  task: () => Promise<unknown>,
): RunningJob {
  let current: Promise<unknown> | undefined;
  const tick = () => {
    if (current) return;
    current = task()
      .catch((error: Error) => {
        if (!isOutage(error)) log.error({ task: name, err: error }, "periodic task failed");
      })
      .finally(() => {
        current = undefined;
      });
  };
  const timer = setInterval(tick, ms);
  tick();
  return {
    async close() {
      clearInterval(timer);
      await current;
    },
  };
}
