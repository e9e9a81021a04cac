import type { Logger } from "@meterplane/core";
import type { Database } from "@meterplane/db";
import type { Redis } from "ioredis";
import type { Registry } from "prom-client";
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
  metrics: Registry;
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

/** Runs `task` every `ms`, never two at once; a failure is logged and the next tick tries again. */
export function every(name: string, ms: number, log: Logger, task: () => Promise<unknown>): RunningJob {
  let current: Promise<unknown> | undefined;
  const tick = () => {
    if (current) return;
    current = task()
      .catch((error: Error) => log.error({ task: name, err: error }, "periodic task failed"))
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
