export { createRedis } from "./connection.ts";
export * from "./queues.ts";
