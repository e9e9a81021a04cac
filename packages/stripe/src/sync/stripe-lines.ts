import { Dec } from "@meterplane/core";
import type Stripe from "stripe";
import { toStripeAmount } from "../amounts/to-stripe-amount.ts";
import { metadataKeys } from "./idempotency-keys.ts";

interface Line {
  id: string;
  description: string;
  quantity: { toString(): string };
  unitPrice: { toString(): string };
  amount: { toString(): string };
}

/** One Stripe line per invoice line: its amount already rounded by us, and a description with quantity and unit price. */
export function stripeLines(
  lines: Line[],
  currency: string,
  period: { start: Date; end: Date },
): Stripe.InvoiceAddLinesParams.Line[] {
  const seconds = (d: Date) => Math.floor(d.getTime() / 1000);
  return lines.map((line) => ({
    amount: toStripeAmount(line.amount, currency),
    description: `${line.description}: ${new Dec(line.quantity.toString()).toString()} × ${new Dec(line.unitPrice.toString()).toString()} ${currency}`,
    metadata: { [metadataKeys.lineId]: line.id },
    // Stripe's period end is inclusive; ours is exclusive.
    period: { start: seconds(period.start), end: Math.max(seconds(period.start), seconds(period.end) - 1) },
  }));
}
