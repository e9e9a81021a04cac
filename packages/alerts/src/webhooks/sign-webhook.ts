import { createHmac, timingSafeEqual } from "node:crypto";

export const signatureHeader = "meterplane-signature";
export const timestampHeader = "meterplane-timestamp";

/**
 * The signature of a webhook: HMAC-SHA256 with the endpoint's secret over `<timestamp>.<body>`, where the
 * timestamp is Unix seconds also sent in its own header. Signing the time with the body lets a receiver
 * refuse a replayed message.
 */
export function signWebhook(secret: string, timestamp: number, body: string): string {
  return `v1=${createHmac("sha256", secret).update(`${timestamp}.${body}`).digest("hex")}`;
}

/** A receiver's check: the signature matches and the timestamp is within `toleranceSeconds` of `now`. */
export function verifyWebhook(
  secret: string,
  headers: { timestamp: string | undefined; signature: string | undefined },
  body: string,
  now = Date.now(),
  toleranceSeconds = 300,
): boolean {
  const timestamp = Number(headers.timestamp);
  if (!Number.isInteger(timestamp) || !headers.signature) return false;
  if (Math.abs(now / 1000 - timestamp) > toleranceSeconds) return false;
  const expected = Buffer.from(signWebhook(secret, timestamp, body));
  const given = Buffer.from(headers.signature);
  return expected.length === given.length && timingSafeEqual(expected, given);
}
