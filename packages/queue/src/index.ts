export { createBatchedEnqueue } from "./batched-enqueue.ts";
export { createRedis } from "./connection.ts";
export { queuePrefix } from "./env.ts";
export * from "./queues.ts";
