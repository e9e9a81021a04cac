import { createHash } from "node:crypto";
import { AppError } from "@meterplane/core";
import { queuePrefix } from "@meterplane/queue";
import { services } from "./server";

/**
 * Fixed-window limiter in Redis, shared by every web replica. Keys are hashed so emails never sit in Redis.
 * Throws RATE_LIMITED with the wait; when Redis is down it lets the request through rather than lock everyone out.
 */
export async function rateLimit({
  scope,
  key,
  limit,
  windowSeconds,
}: {
  scope: string;
  key: string;
  limit: number;
  windowSeconds: number;
}) {
  const { redis } = services();
  const name = `${queuePrefix()}:ratelimit:${scope}:${createHash("sha256").update(key).digest("base64url")}`;
  let count: number;
  let ttl: number;
  try {
    const results = await redis.multi().incr(name).expire(name, windowSeconds, "NX").ttl(name).exec();
    count = Number(results?.[0]?.[1] ?? 0);
    ttl = Number(results?.[2]?.[1] ?? windowSeconds);
  } catch {
    return;
  }
  if (count > limit)
    throw new AppError("RATE_LIMITED", `too many attempts; wait ${Math.max(ttl, 1)} seconds and try again`);
}

/** The client address as the proxy in front of us reports it (first hop), or the socket's when there is none. */
export function clientAddress(headers: Headers): string {
  return headers.get("x-forwarded-for")?.split(",")[0]?.trim() || headers.get("x-real-ip") || "local";
}
