export { createBatchedEnqueue } from "./batched-enqueue.ts";
export { createRedis, isRedisUnreachable } from "./connection.ts";
export { queuePrefix } from "./env.ts";
export { logQueueErrors } from "./log-queue-errors.ts";
export * from "./queues.ts";
