import { AppError } from "@meterplane/core";
import Stripe from "stripe";

/** The event, when `signature` is Stripe's signature of exactly these raw bytes under `secret`. */
export function verifyStripeWebhook({
  payload,
  signature,
  secret,
}: {
  payload: string | Buffer;
  signature: string | null;
  secret: string;
}): Stripe.Event {
  if (!signature) throw new AppError("BAD_REQUEST", "the Stripe-Signature header is missing");
  try {
    return Stripe.webhooks.constructEvent(payload, signature, secret);
  } catch (error) {
    if (error instanceof Stripe.errors.StripeSignatureVerificationError)
      throw new AppError("BAD_REQUEST", "the Stripe-Signature header does not match the body");
    throw new AppError("BAD_REQUEST", "the webhook body is not a Stripe event");
  }
}
