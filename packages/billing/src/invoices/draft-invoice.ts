import { z } from "zod";
import type { TierBreakdown } from "../charge-models/charge-model.ts";

/** A rollup an invoice line was computed from, as stored in `InvoiceLine.sources`. */
export const rollupSourceSchema = z.object({
  environmentId: z.string(),
  meter: z.string(),
  dimensionKey: z.string(),
  bucketStart: z.string(),
  /** Exclusive end of the time the rollup covers. */
  bucketEnd: z.string(),
  granularity: z.enum(["hour", "day", "span"]),
});
export type RollupSource = z.infer<typeof rollupSourceSchema>;

/** A tier slice as stored in `InvoiceLine.tiers`: decimal strings, unrounded. */
export const tierBreakdownRowSchema = z.object({
  from: z.string(),
  upTo: z.string().nullable(),
  quantity: z.string(),
  unitPrice: z.string(),
  flatFee: z.string(),
  amount: z.string(),
});
export type TierBreakdownRow = z.infer<typeof tierBreakdownRowSchema>;

export type LineKind = "charge" | "charge_minimum" | "invoice_minimum";

/** Decimals are strings so the draft is plain data: stored, compared and hashed exactly as it is. */
export interface DraftInvoiceLine {
  position: number;
  kind: LineKind;
  chargeId: string | null;
  description: string;
  quantity: string;
  unitPrice: string;
  /** Rounded once, half-up, to the currency's minor unit, with exactly that many decimals. */
  amount: string;
  tiers: TierBreakdownRow[];
  sources: RollupSource[];
}

export interface DraftInvoice {
  currency: string;
  periodStart: Date;
  periodEnd: Date;
  lines: DraftInvoiceLine[];
  /** Sum of the rounded line amounts. */
  subtotal: string;
  /** Equal to the subtotal until taxes and credits exist. */
  total: string;
  /** sha256 of the canonical JSON of the rating's input and of this draft without the hash. */
  ratingHash: string;
}

export function tierRow(tier: TierBreakdown): TierBreakdownRow {
  return {
    from: tier.from.toString(),
    upTo: tier.upTo === null ? null : tier.upTo.toString(),
    quantity: tier.quantity.toString(),
    unitPrice: tier.unitPrice.toString(),
    flatFee: tier.flatFee.toString(),
    amount: tier.amount.toString(),
  };
}
