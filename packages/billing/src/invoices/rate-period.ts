import { Dec } from "@meterplane/core";
import { currencyExponent } from "../money/currency.ts";
import { coverage } from "../periods/proration.ts";
import { parseOrThrow } from "../validation.ts";
import { chargeLines, topUpLine, type UnpositionedLine } from "./charge-lines.ts";
import type { DraftInvoice } from "./draft-invoice.ts";
import { type ParsedRatePeriodInput, type RatePeriodInput, ratePeriodInput } from "./rate-period-input.ts";
import { canonicalJson, sha256Hex } from "./rating-hash.ts";

/**
 * Rates one billing period of one subscription into a draft invoice: one line per charge (ordered by
 * position, then id), a top-up line under each charge that misses its minimum, and a "Minimum commitment"
 * line when the invoice misses the plan's. Pure and deterministic: the same input gives the same draft,
 * byte for byte, and the same `ratingHash`.
 */
export function ratePeriod(input: RatePeriodInput): DraftInvoice {
  const parsed = canonicalInput(parseOrThrow(ratePeriodInput, input, "rating input"));
  const { currency, period, subscription } = parsed;
  const covers = coverage(period, subscription);
  const ctx = {
    currency,
    coverage: covers,
    periodSeconds: new Dec(period.end.getTime() - period.start.getTime()).div(1000),
  };
  // Usage is assigned to a period by its bucket's start, and only while the subscription is active.
  const inWindow = (bucketStart: Date) =>
    bucketStart >= covers.covered.start && bucketStart < covers.covered.end;

  const lines: UnpositionedLine[] = parsed.charges.flatMap((charge) =>
    chargeLines(
      charge,
      (parsed.rollups[charge.metric?.code ?? ""] ?? []).filter((r) => inWindow(r.bucketStart)),
      ctx,
    ),
  );
  if (parsed.invoiceMinimum !== null) {
    const commitment = {
      kind: "invoice_minimum",
      chargeId: null,
      description: "Minimum commitment: top-up to",
    } as const;
    const topUp = topUpLine(commitment, parsed.invoiceMinimum, lines, ctx);
    if (topUp) lines.push(topUp);
  }

  const total = lines.reduce((acc, l) => acc.plus(l.amount), new Dec(0)).toFixed(currencyExponent(currency));
  const draft = {
    currency,
    periodStart: period.start,
    periodEnd: period.end,
    lines: lines.map((line, position) => ({ position, ...line })),
    subtotal: total,
    total,
  };
  return { ...draft, ratingHash: sha256Hex(canonicalJson({ input: parsed, invoice: draft })) };
}

/** The input in one order, so neither the rating nor its hash depends on how the caller listed things. */
function canonicalInput(input: ParsedRatePeriodInput): ParsedRatePeriodInput {
  const charges = [...input.charges].sort((a, b) => a.position - b.position || compare(a.id, b.id));
  const rollups = Object.fromEntries(
    // Each rollup's key is computed once: the invoice run sorts hundreds of thousands of them.
    Object.entries(input.rollups).map(([code, list]) => [
      code,
      list
        .map((rollup) => ({ rollup, key: canonicalJson(rollup) }))
        .sort((a, b) => compare(a.key, b.key))
        .map(({ rollup }) => rollup),
    ]),
  );
  return { ...input, charges, rollups };
}

function compare(a: string, b: string): number {
  return a < b ? -1 : a > b ? 1 : 0;
}
