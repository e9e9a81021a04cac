import type { Database } from "@meterplane/db";
import { signatureHeader, signWebhook, timestampHeader } from "./sign-webhook.ts";

export const deliverySettings = {
  /** Attempts before a delivery is given up as failed. */
  maxAttempts: 8,
  /** Wait before the n-th retry: base × 2^(n-1), capped. */
  backoffBaseMs: 5_000,
  backoffMaxMs: 3_600_000,
  timeoutMs: 10_000,
  /** A claimed delivery is not claimed again for this long, so a crashed worker's are retried later. */
  leaseMs: 60_000,
  batch: 50,
};

export function backoffMs(attempt: number, settings = deliverySettings): number {
  return Math.min(settings.backoffMaxMs, settings.backoffBaseMs * 2 ** (attempt - 1));
}

interface Claimed {
  id: string;
  url: string;
  secret: string;
  body: string;
  anomalyId: string | null;
  attempts: number;
}

/**
 * Posts due deliveries, each signed anew with the time of its attempt. Claims them first (a lease on
 * `nextAttemptAt`, with SKIP LOCKED), so workers running at once never post the same one twice at once
 * and no transaction stays open across an HTTP call. A 2xx delivers; anything else is retried with
 * exponential backoff until `maxAttempts`, every outcome kept in the delivery's row (the delivery log).
 */
export async function deliverWebhooks({
  db,
  now = () => new Date(),
  settings = deliverySettings,
}: {
  db: Database;
  now?: () => Date;
  settings?: typeof deliverySettings;
}): Promise<{ delivered: number; failed: number }> {
  const claimedAt = now();
  const { rows } = await db.pool.query<Claimed>(
    `UPDATE "WebhookDelivery" d SET "nextAttemptAt" = $2, attempts = d.attempts + 1
       FROM "WebhookEndpoint" e
      WHERE e.id = d."endpointId" AND d.id IN (
        SELECT id FROM "WebhookDelivery" WHERE status = 'pending' AND "nextAttemptAt" <= $1
         ORDER BY "nextAttemptAt" LIMIT $3 FOR UPDATE SKIP LOCKED)
      RETURNING d.id, e.url, e.secret, d.body, d."anomalyId", d.attempts`,
    [claimedAt, new Date(claimedAt.getTime() + settings.leaseMs), settings.batch],
  );
  const outcome = { delivered: 0, failed: 0 };
  await Promise.all(
    rows.map(async (delivery) => {
      const result = await post(delivery, settings.timeoutMs);
      const done = now();
      if (result.ok) outcome.delivered += 1;
      else outcome.failed += 1;
      const givenUp = !result.ok && delivery.attempts >= settings.maxAttempts;
      await db.pool.query(
        `UPDATE "WebhookDelivery" SET status = $2, "responseCode" = $3, "lastError" = $4,
                "deliveredAt" = $5, "nextAttemptAt" = $6 WHERE id = $1`,
        [
          delivery.id,
          result.ok ? "delivered" : givenUp ? "failed" : "pending",
          result.code,
          result.error,
          result.ok ? done : null,
          new Date(done.getTime() + backoffMs(delivery.attempts, settings)),
        ],
      );
    }),
  );
  return outcome;
}

async function post(delivery: Claimed, timeoutMs: number) {
  const timestamp = Math.floor(Date.now() / 1000);
  try {
    const response = await fetch(delivery.url, {
      method: "POST",
      headers: {
        "content-type": "application/json",
        "user-agent": "Meterplane-Webhooks/1",
        [timestampHeader]: String(timestamp),
        [signatureHeader]: signWebhook(delivery.secret, timestamp, delivery.body),
        "meterplane-delivery": delivery.id,
      },
      body: delivery.body,
      signal: AbortSignal.timeout(timeoutMs),
      redirect: "manual",
    });
    await response.body?.cancel();
    return response.ok
      ? { ok: true, code: response.status, error: null }
      : { ok: false, code: response.status, error: `HTTP ${response.status}` };
  } catch (error) {
    return { ok: false, code: null, error: (error as Error).message };
  }
}
