import { AppError } from "@meterplane/core";
import type { Redis } from "ioredis";

export interface RateLimitState {
  limit: number;
  remaining: number;
  /** Seconds until the window resets. */
  resetSeconds: number;
  windowSeconds: number;
}

// INCR and the first PEXPIRE in one script, so a crash between them can never leave a counter that never expires.
const script = `
local n = redis.call('INCR', KEYS[1])
if n == 1 then redis.call('PEXPIRE', KEYS[1], ARGV[1]) end
return {n, redis.call('PTTL', KEYS[1])}`;

/**
 * Counts one request of `subject` (an API key id) in a fixed window shared by every web replica, and
 * throws RATE_LIMITED (with the state in `details`) once the window's budget is spent.
 */
export async function limitRequest({
  redis,
  subject,
  limit,
  windowSeconds = 60,
}: {
  redis: Redis;
  subject: string;
  limit: number;
  windowSeconds?: number;
}): Promise<RateLimitState> {
  const [count, ttlMs] = (await redis.eval(
    script,
    1,
    `mp:ratelimit:{${subject}}`,
    String(windowSeconds * 1000),
  )) as [number, number];
  const state = {
    limit,
    remaining: Math.max(0, limit - count),
    resetSeconds: Math.max(1, Math.ceil((ttlMs > 0 ? ttlMs : windowSeconds * 1000) / 1000)),
    windowSeconds,
  };
  if (count > limit)
    throw new AppError(
      "RATE_LIMITED",
      `rate limit of ${limit} requests per ${windowSeconds} s reached`,
      state,
    );
  return state;
}

/** The IETF `RateLimit-*` headers of a state, plus `Retry-After` once it is exhausted. */
export function rateLimitHeaders(state: RateLimitState, exhausted = false): Record<string, string> {
  return {
    "RateLimit-Limit": String(state.limit),
    "RateLimit-Remaining": String(state.remaining),
    "RateLimit-Reset": String(state.resetSeconds),
    "RateLimit-Policy": `${state.limit};w=${state.windowSeconds}`,
    ...(exhausted ? { "Retry-After": String(state.resetSeconds) } : {}),
  };
}
