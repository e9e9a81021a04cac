/**
 * The local Stripe double for the demo and for manual runs: `npx tsx scripts/stripe-double.ts [port]`.
 * Point the web app and the worker at it with the printed variables. Faults are injected and the request
 * log is read over HTTP:
 *   curl -X POST localhost:12111/_double/faults -d '[{"kind":"rate_limit","path":"/finalize$","times":3}]'
 *   curl localhost:12111/_double/requests
 *   curl -X POST localhost:12111/_double/invoices/in_…/paid      (also void, uncollectible)
 *   curl -X POST localhost:12111/_double/clock -d '{"advanceSeconds":3601}'   (collects due invoices)
 *   curl -X POST localhost:12111/_double/customers/cus_…/payment_method -d '{"outcome":"succeeds"}'
 * With STRIPE_WEBHOOK_URL and STRIPE_WEBHOOK_SECRET set it sends signed invoice webhooks there.
 */
import { startStripeDouble } from "@meterplane/stripe/double";

const port = Number(process.argv[2] ?? process.env.STRIPE_API_PORT ?? 12111);
const webhookUrl = process.env.STRIPE_WEBHOOK_URL;
const webhookSecret = process.env.STRIPE_WEBHOOK_SECRET;
const double = await startStripeDouble({
  port,
  ...(webhookUrl && webhookSecret ? { webhook: { url: webhookUrl, secret: webhookSecret } } : {}),
});
console.log(`Stripe double listening on ${double.url}`);
console.log(
  `STRIPE_SECRET_KEY=sk_test_double STRIPE_API_HOST=${double.host} STRIPE_API_PORT=${double.port} STRIPE_API_PROTOCOL=http`,
);
const stop = async () => {
  await double.close();
  process.exit(0);
};
process.on("SIGINT", () => void stop());
process.on("SIGTERM", () => void stop());
