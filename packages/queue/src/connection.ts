import { Redis } from "ioredis";

/**
 * A Redis connection for BullMQ. Workers block on Redis, so they need `maxRetriesPerRequest: null`;
 * producers (the web app) should fail fast instead, so callers choose.
 */
export function createRedis(url: string, options: { blocking?: boolean } = {}): Redis {
  return new Redis(url, {
    maxRetriesPerRequest: options.blocking ? null : 1,
    enableOfflineQueue: options.blocking ?? false,
    lazyConnect: false,
  });
}
