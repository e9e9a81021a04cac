import { isAppError } from "@meterplane/core";
import Stripe from "stripe";

export interface RetryAdvice {
  retry: boolean;
  /** The earliest Stripe asked us to come back (`Retry-After`), when it said so. */
  delayMs: number | null;
}

/**
 * Whether a failed sync step is worth another attempt. Stripe's `Stripe-Should-Retry` header decides when
 * present; otherwise rate limits, conflicts on an in-flight idempotent request, server errors and lost
 * connections are retried, and a request Stripe refused (4xx) or one of our own checks is not.
 */
export function stripeRetryAdvice(error: unknown): RetryAdvice {
  if (isAppError(error)) return { retry: false, delayMs: null };
  if (!(error instanceof Stripe.errors.StripeError)) return { retry: true, delayMs: null };
  const headers = error.headers ?? {};
  const seconds = Number(headers["retry-after"]);
  const delayMs = Number.isFinite(seconds) && seconds > 0 ? seconds * 1000 : null;
  const should = headers["stripe-should-retry"];
  if (should === "true" || should === "false") return { retry: should === "true", delayMs };
  if (error instanceof Stripe.errors.StripeConnectionError) return { retry: true, delayMs };
  const status = error.statusCode ?? 0;
  return { retry: status === 429 || status === 409 || status >= 500, delayMs };
}

/** Exponential backoff with jitter for attempt n (1-based), never sooner than Stripe asked. */
export function stripeBackoffMs(attemptsMade: number, baseMs: number, retryAfterMs: number | null): number {
  const exponential = baseMs * 2 ** Math.max(0, attemptsMade - 1);
  const jittered = exponential * (0.75 + Math.random() * 0.5);
  return Math.round(Math.max(jittered, retryAfterMs ?? 0));
}
