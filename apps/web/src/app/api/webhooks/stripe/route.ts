import { AppError } from "@meterplane/core";
import { applyStripeEvent, stripeConfig, verifyStripeWebhook } from "@meterplane/stripe";
import { apiRoute, readBody } from "@/lib/api";
import { log, services } from "@/lib/server";

export const dynamic = "force-dynamic";

/**
 * Stripe's events about our invoices. The signature is checked on the raw bytes (a parsed and re-encoded
 * body would not match); a replayed event is acknowledged without effect; an event we do not handle is
 * acknowledged so Stripe stops resending it.
 */
export const POST = apiRoute(async (request: Request) => {
  const secret = stripeConfig().STRIPE_WEBHOOK_SECRET;
  if (!secret) throw new AppError("UNAVAILABLE", "Stripe webhooks are off: STRIPE_WEBHOOK_SECRET is not set");
  const payload = await readBody(request, 1024 * 1024);
  const event = verifyStripeWebhook({ payload, signature: request.headers.get("stripe-signature"), secret });
  const outcome = await applyStripeEvent({ db: services().db, event, log: log.child({ eventId: event.id }) });
  return Response.json({ received: true, outcome });
});
