export { createBatchedEnqueue } from "./batched-enqueue.ts";
export { createRedis } from "./connection.ts";
export * from "./queues.ts";
