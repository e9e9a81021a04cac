import { createOutageLog, type Logger, type OutageLog } from "@meterplane/core";
import { Redis } from "ioredis";

/**
 * A Redis connection for BullMQ. Workers block on Redis, so they need `maxRetriesPerRequest: null`;
 * producers (the web app) should fail fast instead, so callers choose. ioredis reconnects by itself and
 * emits an 'error' per failed attempt: those go to the connection's outage log (one line when Redis goes
 * away, one when it is back) instead of a stack trace each.
 */
export function createRedis(
  url: string,
  options: { blocking?: boolean; log?: Logger; outage?: OutageLog } = {},
): Redis {
  const redis = new Redis(url, {
    maxRetriesPerRequest: options.blocking ? null : 1,
    enableOfflineQueue: options.blocking ?? false,
    lazyConnect: false,
    // Reconnect quickly at first, then every 2 s: a restarted Redis is found again within that.
    retryStrategy: (attempt) => Math.min(attempt * 100, 2000),
  });
  const outage = options.outage ?? createOutageLog(options.log, "redis");
  redis.on("error", (error) => outage.down(error));
  redis.on("ready", () => outage.up());
  return redis;
}

/** Whether an error says Redis could not be reached (refused, reset, closed), not that a command failed. */
export function isRedisUnreachable(error: unknown): boolean {
  const { code, message } = (error ?? {}) as { code?: unknown; message?: unknown };
  if (typeof code === "string" && /^(ECONNREFUSED|ECONNRESET|ETIMEDOUT|EPIPE|ENOTFOUND)$/.test(code))
    return true;
  return (
    typeof message === "string" &&
    /ECONNREFUSED|ECONNRESET|Connection is closed|connection in subscriber mode|Stream isn't writeable|MaxRetriesPerRequest|LOADING/i.test(
      message,
    )
  );
}
